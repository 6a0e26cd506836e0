// The Inspector's public face (pinned in EDITOR-SHARED.md): the panel, the validation the
// canvas also uses for node badges, and the types.
export { Inspector } from './inspector.tsx';
export { validateNodeConfig } from './validate-node-config.ts';
export type { ConfigIssue, InspectorProps, LastRun, NodeDescriptor, UpstreamNode } from './types.ts';
