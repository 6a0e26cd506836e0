export * from './postgres.ts';
export * from './redis.ts';
