export * from './postgres.ts';
export * from './redis.ts';
export * from './node-stand-ins.ts';
export * from './processes.ts';
