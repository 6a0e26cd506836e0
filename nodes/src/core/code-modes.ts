/** core.code's modes, as n8n names them: once for all items, or once per item. */
export const CODE_MODES = ['runOnceForAllItems', 'runOnceForEachItem'] as const;
export type CodeMode = (typeof CODE_MODES)[number];
