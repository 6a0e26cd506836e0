export const hello: string = "engine";
