// The playground page: plain browser JavaScript, no build step.
// It talks to the playground's JSON API (same origin) and loads images
// straight from the service's CDN URL, as an application would.
"use strict";

const state = { services: [], service: null, current: null, since: 0, view: 0, logTimer: null, revokedAt: 0, recheck: null };

const $ = (id) => document.getElementById(id);

// The API answers only requests that carry this header: a page on another site cannot set it.
async function api(path, options = {}) {
    const response = await fetch(path, { ...options, headers: { ...(options.headers || {}), "X-Playground": "1" } });
    const body = await response.json().catch(() => ({ message: `HTTP ${response.status}` }));
    if (!response.ok) throw new Error(body.message || `HTTP ${response.status}`);
    return body;
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
    state.current = null;
    $("preview").removeAttribute("src");
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
        $("revoke").disabled = !result.hash;
        showImage();
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
        setStatus(`revoked (invalidation ${result.invalidation.id}); requesting it again…`);
        state.revokedAt = Date.now();
        showImage();
    } catch (error) {
        setStatus(`revoke failed: ${error.message}`, "bad");
        $("revoke").disabled = false;
    }
}

function addLogRow(entry) {
    const row = document.createElement("tr");
    row.className = entry.result;
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

async function pollLog() {
    if (!state.service) return;
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
    }
}

async function start() {
    $("preview").addEventListener("load", onImageLoad);
    $("preview").addEventListener("error", onImageError);
    $("file").addEventListener("change", () => ($("upload").disabled = !$("file").files[0]));
    $("upload").addEventListener("click", upload);
    $("reload").addEventListener("click", showImage);
    $("revoke").addEventListener("click", revoke);
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
