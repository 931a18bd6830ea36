// fs-native-extensions ships no type declarations; this covers only what db/data-dir-lock.ts uses.
declare module "fs-native-extensions" {
  /** Requests an exclusive lock on the whole file; false when another open file description holds it. */
  export function tryLock(fd: number): boolean;
}
