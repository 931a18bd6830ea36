/** The methods a request may use; zod-free so pages can list them without loading the schemas. */
export const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"] as const;
