/**
 * The deploy identity's policy as the package exports it,
 * `secure-image-cdn/deploy-policy`: the same documents `npm run
 * deploy-policy` prints, for another program to generate for its own stack.
 * A tool's library, so the package entry (lib.ts) does not load it.
 */
export { deployPolicies, deployPolicy, policySize, splitPolicy } from "./policy";
export type { DeployPolicyInput } from "./policy";
export { DEPLOY_PERMISSIONS, REPLICA_DEPLOY_ACTIONS, TYPES_WITHOUT_PERMISSIONS } from "./permissions";
export type { Grant } from "./permissions";
export { SCOPES } from "./scopes";
export type { ScopeContext, ScopeName } from "./scopes";
