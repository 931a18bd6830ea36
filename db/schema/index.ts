export * from "./accounts";
export * from "./actor";
export * from "./audit";
export * from "./requests";
export * from "./connections";
export * from "./oauth-server";
export * from "./flows";
export * from "./alerts";
