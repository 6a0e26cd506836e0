export { verifySignature } from './signature.ts';
export type { VerifyResult } from './signature.ts';
export { signatureConfigSchema } from './signature-config.schema.ts';
export type { SignatureConfig, SignatureConfigInput } from './signature-config.schema.ts';
export { signaturePresets } from './signature-presets.ts';
export type { SignaturePresetName } from './signature-presets.ts';
