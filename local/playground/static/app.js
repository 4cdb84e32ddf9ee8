// The playground page: plain browser JavaScript, no build step.
// It talks to the playground's JSON API (same origin) and loads images
// straight from the service's CDN URL, as an application would.
"use strict";

const state = { services: [], service: null, current: null, since: 0, view: 0, logTimer: null, polling: false, revokedAt: 0, recheck: null, presets: [], variantsSince: 0 };

const $ = (id) => document.getElementById(id);

// The API answers only requests that carry this header: a page on another site cannot set it.
async function api(path, options = {}) {
    const response = await fetch(path, { ...options, headers: { ...(options.headers || {}), "X-Playground": "1" } });
    const body = await response.json().catch(() => ({ message: `HTTP ${response.status}` }));
    if (!response.ok) throw new Error(body.message || `HTTP ${response.status}`);
    return body;
}

// ThumbHash decoding (the algorithm of the thumbhash package by Evan Wallace, MIT licence, whose
// encoder the issuer uses): the page draws an upload's placeholder before the image arrives.
function thumbHashToRGBA(hash) {
    const { PI, max, min, cos, round } = Math;
    const header24 = hash[0] | (hash[1] << 8) | (hash[2] << 16);
    const header16 = hash[3] | (hash[4] << 8);
    const lDc = (header24 & 63) / 63;
    const pDc = ((header24 >> 6) & 63) / 31.5 - 1;
    const qDc = ((header24 >> 12) & 63) / 31.5 - 1;
    const lScale = ((header24 >> 18) & 31) / 31;
    const hasAlpha = header24 >> 23;
    const pScale = ((header16 >> 3) & 63) / 63;
    const qScale = ((header16 >> 9) & 63) / 63;
    const isLandscape = header16 >> 15;
    const lx = max(3, isLandscape ? (hasAlpha ? 5 : 7) : header16 & 7);
    const ly = max(3, isLandscape ? header16 & 7 : hasAlpha ? 5 : 7);
    const aDc = hasAlpha ? (hash[5] & 15) / 15 : 1;
    const aScale = (hash[5] >> 4) / 15;
    const acStart = hasAlpha ? 6 : 5;
    let acIndex = 0;
    const decodeChannel = (nx, ny, scale) => {
        const ac = [];
        for (let cy = 0; cy < ny; cy++) {
            for (let cx = cy ? 0 : 1; cx * ny < nx * (ny - cy); cx++) {
                ac.push((((hash[acStart + (acIndex >> 1)] >> ((acIndex++ & 1) << 2)) & 15) / 7.5 - 1) * scale);
            }
        }
        return ac;
    };
    const lAc = decodeChannel(lx, ly, lScale);
    // Saturation boosted by 1.25, as the encoder's quantisation dulls it.
    const pAc = decodeChannel(3, 3, pScale * 1.25);
    const qAc = decodeChannel(3, 3, qScale * 1.25);
    const aAc = hasAlpha && decodeChannel(5, 5, aScale);
    const ratio = (isLandscape ? (hasAlpha ? 5 : 7) : hash[3] & 7) / (isLandscape ? hash[3] & 7 : hasAlpha ? 5 : 7);
    const w = round(ratio > 1 ? 32 : 32 * ratio);
    const h = round(ratio > 1 ? 32 / ratio : 32);
    const rgba = new Uint8Array(w * h * 4);
    const fx = [];
    const fy = [];
    for (let y = 0, i = 0; y < h; y++) {
        for (let x = 0; x < w; x++, i += 4) {
            let l = lDc;
            let p = pDc;
            let q = qDc;
            let a = aDc;
            for (let cx = 0, n = max(lx, hasAlpha ? 5 : 3); cx < n; cx++) fx[cx] = cos((PI / w) * (x + 0.5) * cx);
            for (let cy = 0, n = max(ly, hasAlpha ? 5 : 3); cy < n; cy++) fy[cy] = cos((PI / h) * (y + 0.5) * cy);
            for (let cy = 0, j = 0; cy < ly; cy++) {
                for (let cx = cy ? 0 : 1, fy2 = fy[cy] * 2; cx * ly < lx * (ly - cy); cx++, j++) l += lAc[j] * fx[cx] * fy2;
            }
            for (let cy = 0, j = 0; cy < 3; cy++) {
                for (let cx = cy ? 0 : 1, fy2 = fy[cy] * 2; cx < 3 - cy; cx++, j++) {
                    const f = fx[cx] * fy2;
                    p += pAc[j] * f;
                    q += qAc[j] * f;
                }
            }
            if (hasAlpha) {
                for (let cy = 0, j = 0; cy < 5; cy++) {
                    for (let cx = cy ? 0 : 1, fy2 = fy[cy] * 2; cx < 5 - cy; cx++, j++) a += aAc[j] * fx[cx] * fy2;
                }
            }
            const b = l - (2 / 3) * p;
            const r = (3 * l - b + q) / 2;
            const g = r - q;
            rgba[i] = max(0, 255 * min(1, r));
            rgba[i + 1] = max(0, 255 * min(1, g));
            rgba[i + 2] = max(0, 255 * min(1, b));
            rgba[i + 3] = max(0, 255 * min(1, a));
        }
    }
    return { w, h, rgba };
}

// Draws the upload's placeholder in the image's box (scaled to the image's displayed aspect, at most
// 240 px a side like the image) and shows it until the image has loaded.
function showPlaceholder(result) {
    const canvas = $("placeholder");
    const img = $("preview");
    if (!result.placeholder || !result.width || !result.height) {
        canvas.hidden = true;
        for (const name of ["width", "height", "minWidth", "minHeight"]) img.style[name] = "";
        return;
    }
    const bytes = Uint8Array.from(atob(result.placeholder), (c) => c.charCodeAt(0));
    const { w, h, rgba } = thumbHashToRGBA(bytes);
    canvas.width = w;
    canvas.height = h;
    canvas.getContext("2d").putImageData(new ImageData(new Uint8ClampedArray(rgba), w, h), 0, 0);
    canvas.dataset.placeholder = result.placeholder;
    const scale = Math.min(1, 240 / Math.max(result.width, result.height));
    // The box takes the image's own proportions (the empty box's minimum size would distort them).
    img.style.minWidth = "0";
    img.style.minHeight = "0";
    img.style.width = `${Math.max(1, Math.round(result.width * scale))}px`;
    img.style.height = `${Math.max(1, Math.round(result.height * scale))}px`;
    canvas.hidden = false;
}

function setStatus(text, kind) {
    const status = $("status");
    status.textContent = text;
    status.className = `status ${kind || ""}`;
}

function shortPath(uri) {
    const match = /^\/images\/([0-9a-f]{32})$/.exec(uri);
    return match ? `/images/${match[1].slice(0, 8)}…` : uri.length > 48 ? `${uri.slice(0, 45)}…` : uri;
}

function selectService(name) {
    state.service = state.services.find((service) => service.name === name) || null;
    state.since = 0;
    $("log").querySelector("tbody").replaceChildren();
    const service = state.service;
    if (!service) return;
    $("service-info").textContent = `level ${service.level}${service.mode ? `, mode ${service.mode}` : ""}, CDN ${service.cdnBaseUrl}, distribution ${service.distributionId}`;
    const sample = $("sample-url");
    sample.textContent = service.sampleUrl || "(none)";
    sample.href = service.sampleUrl || "#";
    $("result").hidden = true;
    $("variants-section").hidden = true;
    state.current = null;
    $("preview").removeAttribute("src");
    $("placeholder").hidden = true;
    setStatus("not loaded yet");
    pollLog();
}

// Load the current image through the CDN. The query string changes on each
// view so the browser asks again; CloudFront leaves it out of the cache key.
function showImage() {
    if (!state.current) return;
    state.view += 1;
    const img = $("preview");
    setStatus("loading…");
    img.src = `${state.current.url}?view=${state.view}`;
}

function onImageLoad() {
    const img = $("preview");
    $("placeholder").hidden = true;
    setStatus(`rendered (${img.naturalWidth}×${img.naturalHeight})`, "ok");
    setTimeout(pollLog, 100);
    // After a revoke, a warm edge function may still answer from its memo for up to
    // edge.memoTtlSeconds (as on AWS); say so and ask again once that window has passed.
    const memoSeconds = state.service ? state.service.memoTtlSeconds || 0 : 0;
    if (state.revokedAt && memoSeconds > 0) {
        const waitMs = Math.max(0, state.revokedAt + (memoSeconds + 1) * 1000 - Date.now());
        if (waitMs > 0) {
            setStatus(`still served: a warm edge function may answer from its memo for up to ${memoSeconds} s after a revoke (edge.memoTtlSeconds); asking again in ${Math.ceil(waitMs / 1000)} s`, "warn");
            clearTimeout(state.recheck);
            state.recheck = setTimeout(showImage, waitMs);
        }
    }
}

function onImageError() {
    $("placeholder").hidden = true;
    setStatus("did not render: the CDN refused it (see the request log)", "bad");
    setTimeout(pollLog, 100);
}

async function upload() {
    const file = $("file").files[0];
    if (!file || !state.service) return;
    $("upload").disabled = true;
    $("upload-error").textContent = "";
    try {
        const result = await api(`/api/services/${state.service.name}/upload`, { method: "POST", body: file });
        state.current = result;
        state.revokedAt = 0;
        clearTimeout(state.recheck);
        $("result").hidden = false;
        const link = $("result-url");
        link.textContent = result.url;
        link.href = result.url;
        $("result-hash").textContent = result.hash || "(public: served by key)";
        $("result-expires").textContent = result.expiresAt ? new Date(result.expiresAt * 1000).toISOString() : "never (public)";
        $("result-object").textContent = `${result.s3Url} (${result.contentType}, ${result.bytes} bytes)`;
        $("result-size").textContent = result.width ? `${result.width}×${result.height}, placeholder ${result.placeholder}` : "";
        const metadata = result.metadata || { stripped: false, removed: [] };
        $("result-metadata").textContent = !metadata.stripped
            ? "kept as uploaded"
            : `${metadata.removed.length ? `removed ${metadata.removed.join(", ")}` : "nothing to remove"}${metadata.kept && metadata.kept.length ? `; kept ${metadata.kept.join(", ")}` : ""}`;
        $("revoke").disabled = !result.hash;
        showPlaceholder(result);
        showImage();
        await showVariants(result);
    } catch (error) {
        $("upload-error").textContent = `Upload refused: ${error.message}`;
    } finally {
        $("upload").disabled = !$("file").files[0];
    }
}

async function revoke() {
    if (!state.current || !state.current.hash) return;
    $("revoke").disabled = true;
    try {
        const result = await api(`/api/services/${state.service.name}/revoke`, {
            method: "POST",
            headers: { "Content-Type": "application/json" },
            body: JSON.stringify({ hash: state.current.hash }),
        });
        // At required + origin the service's invalidator, following the table's stream, invalidates; elsewhere revoke did.
        const how = result.invalidation ? `invalidation ${result.invalidation.id}` : "invalidated by the table's invalidator";
        setStatus(`revoked (${how}); requesting it again…`);
        state.revokedAt = Date.now();
        showImage();
    } catch (error) {
        setStatus(`revoke failed: ${error.message}`, "bad");
        $("revoke").disabled = false;
    }
}

// The upload's presets, each loaded through the CDN as an application's <img> would load it.
async function showVariants(result) {
    const section = $("variants-section");
    section.hidden = true;
    state.presets = [];
    if (!result.hash || !state.service || !(state.service.variants || []).length) return;
    const { presets } = await api(`/api/services/${state.service.name}/variants?hash=${result.hash}`);
    state.presets = presets;
    const body = $("variants").querySelector("tbody");
    body.replaceChildren();
    for (const preset of presets) {
        const row = document.createElement("tr");
        row.dataset.preset = preset.name;
        const cells = [preset.name + (preset.eager ? " (eager)" : ""), "", `${preset.width}×${preset.height} ${preset.fit}`, "…", "…", "…", "…"];
        cells.forEach((text, i) => {
            const cell = document.createElement("td");
            if (i === 1) {
                const img = document.createElement("img");
                img.className = "variant";
                img.alt = `the ${preset.name} variant`;
                img.addEventListener("load", () => setTimeout(refreshVariants, 100));
                img.addEventListener("error", () => setTimeout(refreshVariants, 100));
                cell.appendChild(img);
            } else {
                cell.textContent = text;
            }
            row.appendChild(cell);
        });
        body.appendChild(row);
    }
    section.hidden = false;
    await loadVariants();
}

// Requests every preset again; the request log then says who answered each one.
async function loadVariants() {
    const { entries } = await api(`/api/services/${state.service.name}/requests?since=0`);
    state.variantsSince = entries.reduce((max, entry) => Math.max(max, entry.seq), 0);
    state.view += 1;
    for (const preset of state.presets) {
        const row = $("variants").querySelector(`tr[data-preset="${preset.name}"]`);
        row.querySelector("img").src = `${preset.url}?view=${state.view}`;
    }
}

function answeredBy(entry) {
    if (entry.status >= 400) return `refused (${entry.status})`;
    if (entry.fromCache) return "CloudFront's cache";
    if (entry.originDetail === "stored") return "the resizer's stored copy";
    if (entry.originDetail === "made") return "the resizer: made now, and stored";
    if (entry.originDetail === "joined") return "the resizer: shared a run under way";
    return entry.result;
}

async function refreshVariants() {
    if (!state.service || !state.current) return;
    const { entries } = await api(`/api/services/${state.service.name}/requests?since=${state.variantsSince}`);
    for (const preset of state.presets) {
        const path = new URL(preset.url).pathname;
        const entry = entries.filter((candidate) => candidate.uri === path).pop();
        if (!entry) continue;
        const cells = $("variants").querySelector(`tr[data-preset="${preset.name}"]`).children;
        cells[3].textContent = entry.contentType || "–";
        cells[4].textContent = String(entry.bytes ?? "–");
        cells[5].textContent = String(entry.durationMs);
        cells[6].textContent = answeredBy(entry);
    }
    pollLog();
}

async function emptyVariantCache() {
    if (!state.current || !state.current.hash) return;
    await api(`/api/services/${state.service.name}/invalidate`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ hash: state.current.hash }),
    });
    await loadVariants();
}

function addLogRow(entry) {
    const row = document.createElement("tr");
    row.className = entry.result;
    row.dataset.seq = String(entry.seq);
    const cells = [
        new Date(entry.at).toLocaleTimeString(),
        entry.method,
        shortPath(entry.uri),
        String(entry.status),
        `${entry.result}${entry.fromCache && entry.result === "Error" ? " (cached)" : ""}`,
        entry.edgeEvents.join(", ") || "none",
        // Which copy of a replicated table the lookup was answered from.
        entry.tableCopy || "",
        String(entry.durationMs),
    ];
    const classes = ["", "", "path", "", "result", "", "", ""];
    cells.forEach((text, i) => {
        const cell = document.createElement("td");
        cell.textContent = text;
        if (classes[i]) cell.className = classes[i];
        row.appendChild(cell);
    });
    const body = $("log").querySelector("tbody");
    body.insertBefore(row, body.firstChild);
    while (body.children.length > 50) body.removeChild(body.lastChild);
}

function percentText(value) {
    return value === null || value === undefined ? "–" : `${value} %`;
}

function msText(value) {
    return value === null || value === undefined ? "–" : `${value} ms`;
}

// The dashboard's figures for the selected service (GET /api/services/{name}/metrics).
function renderMetrics(metrics) {
    const reads = metrics.dynamodb
        ? `${metrics.dynamodb.getItem} GetItem (${metrics.dynamodb.consistentGetItem} consistent), ${metrics.dynamodb.getItemReadUnits} read units; ${metrics.dynamodb.query} Query`
        : "no table (public)";
    const cells = [
        String(metrics.requests),
        percentText(metrics.cacheHitRatePercent),
        percentText(metrics.errorRate4xxPercent),
        percentText(metrics.errorRate5xxPercent),
        String(metrics.edge.invocations),
        String(metrics.edge.errors),
        `${msText(metrics.edge.durationP50Ms)} / ${msText(metrics.edge.durationP99Ms)}`,
        reads,
    ];
    const row = document.createElement("tr");
    for (const text of cells) {
        const cell = document.createElement("td");
        cell.textContent = text;
        row.appendChild(cell);
    }
    $("metrics").querySelector("tbody").replaceChildren(row);
}

// One poll at a time: the timer's and the one after an image loads would
// otherwise both read the log since the same entry and add its rows twice.
async function pollLog() {
    if (!state.service || state.polling) return;
    state.polling = true;
    const name = state.service.name;
    try {
        const { entries } = await api(`/api/services/${name}/requests?since=${state.since}`);
        if (!state.service || state.service.name !== name) return;
        for (const entry of entries) {
            addLogRow(entry);
            state.since = Math.max(state.since, entry.seq);
        }
        renderMetrics(await api(`/api/services/${name}/metrics`));
        const { distributions } = await api("/api/stats");
        const counters = distributions[state.service.distributionId];
        if (counters) {
            const edge = counters.edgeInvocations;
            $("counters").textContent =
                `requests ${counters.requests} · hits ${counters.hits} · misses ${counters.misses} · errors ${counters.errors} · ` +
                `edge runs: viewer-request ${edge["viewer-request"]}, origin-request ${edge["origin-request"]}, origin-response ${edge["origin-response"]} · ` +
                `cached objects ${counters.cacheEntries}`;
        }
    } catch (error) {
        $("counters").textContent = `request log unavailable: ${error.message}`;
    } finally {
        state.polling = false;
    }
}

async function start() {
    $("preview").addEventListener("load", onImageLoad);
    $("preview").addEventListener("error", onImageError);
    $("file").addEventListener("change", () => ($("upload").disabled = !$("file").files[0]));
    $("upload").addEventListener("click", upload);
    $("reload").addEventListener("click", showImage);
    $("revoke").addEventListener("click", revoke);
    $("variants-cold").addEventListener("click", () => emptyVariantCache().catch((error) => setStatus(`could not empty the cache: ${error.message}`, "bad")));
    $("service").addEventListener("change", (event) => selectService(event.target.value));
    const { services } = await api("/api/services");
    state.services = services;
    const select = $("service");
    for (const service of services) {
        const option = document.createElement("option");
        option.value = service.name;
        option.textContent = `${service.name} (${service.level}${service.level === "public" ? "" : `, ${service.mode}`})`;
        select.appendChild(option);
    }
    if (services.length > 0) selectService(services[0].name);
    state.logTimer = setInterval(pollLog, 1500);
    document.body.dataset.ready = "true";
}

start().catch((error) => {
    $("upload-error").textContent = `The playground could not start: ${error.message}`;
});
