import { z } from "zod";
import { isHeaderValue, LIMITS, line } from "@/lib/validation/fields";
import { COMMON_DEFAULTS, commonFields, required, secret } from "../common";
import { defineConnectionForm } from "../descriptor";

/** SigV4 query-string authentication caps a presigned URL's lifetime at seven days. */
export const MAX_PRESIGN_SECONDS = 604_800;

// The access key ID, region and service are written into the credential scope "AKID/date/region/service/aws4_request"
// (and curl's --user "AKID:secret"), so none may hold a "/", ":", "," or a space.
const ACCESS_KEY_ID = /^[A-Za-z0-9._-]+$/;
const SCOPE_NAME = /^[a-z0-9_-]+$/;

/** S3 signs the path as sent and wants the payload hash header; other services sign the path encoded again. */
export const isS3 = (service: string | undefined) => service?.trim() === "s3";

const schema = z.object({
  type: z.literal("aws_sigv4"),
  ...commonFields,
  accessKeyId: required("the access key ID", 128).refine(
    (v) => ACCESS_KEY_ID.test(v),
    "Access key IDs use letters, digits, '.', '_' and '-', such as AKIAIOSFODNN7EXAMPLE.",
  ),
  secretAccessKey: secret("the secret access key"),
  sessionToken: line(LIMITS.secret).trim().default("").refine(isHeaderValue, "Session tokens cannot contain control characters."),
  region: required("the region, such as us-east-1", 64).refine((v) => SCOPE_NAME.test(v), "Enter the region code in lower case, such as us-east-1."),
  service: required("the service, such as s3 or execute-api", 64).refine(
    (v) => SCOPE_NAME.test(v),
    "Enter the service's signing name in lower case, such as s3, execute-api or es.",
  ),
  signing: z.enum(["header", "query"]).default("header"),
  contentSha256: z.boolean().default(false),
  expiresIn: line(LIMITS.short)
    .trim()
    .default("3600")
    .refine(
      (v) => /^\d{1,6}$/.test(v) && Number(v) >= 1 && Number(v) <= MAX_PRESIGN_SECONDS,
      `Enter the URL's lifetime in seconds, between 1 and ${MAX_PRESIGN_SECONDS} (7 days).`,
    ),
});

export const awsSigV4Form = defineConnectionForm({
  type: "aws_sigv4",
  label: "AWS Signature V4",
  description: "Requests signed with an AWS access key (S3, API Gateway, OpenSearch, and S3-compatible stores).",
  schema,
  defaults: {
    type: "aws_sigv4",
    ...COMMON_DEFAULTS,
    accessKeyId: "",
    secretAccessKey: "",
    sessionToken: "",
    region: "",
    service: "",
    signing: "header",
    contentSha256: false,
    expiresIn: "3600",
  },
  secretFields: ["secretAccessKey", "sessionToken"],
  fields: [
    {
      kind: "row",
      fields: [
        { kind: "text", name: "accessKeyId", label: "Access Key ID", placeholder: "AKIAIOSFODNN7EXAMPLE" },
        { kind: "text", name: "secretAccessKey", label: "Secret Access Key", secret: true },
      ],
    },
    {
      kind: "text",
      name: "sessionToken",
      label: "Session Token",
      secret: true,
      hint: "Optional: only for temporary credentials (AWS STS), sent as X-Amz-Security-Token.",
    },
    {
      kind: "row",
      fields: [
        { kind: "text", name: "region", label: "Region", placeholder: "us-east-1" },
        { kind: "text", name: "service", label: "Service", placeholder: "execute-api", hint: "The signing name: s3, execute-api, es, lambda…" },
      ],
    },
    {
      kind: "select",
      name: "signing",
      label: "Signature",
      options: [
        ["header", "Authorization header"],
        ["query", "Presigned URL (query string)"],
      ],
    },
    {
      kind: "checkbox",
      name: "contentSha256",
      label: "Send x-amz-content-sha256",
      hint: "The payload hash as a signed header, for services that ask for it. S3 requires it and always gets it.",
      when: (v) => v.signing !== "query" && !isS3(v.service),
    },
    {
      kind: "text",
      name: "expiresIn",
      label: "Expires In (seconds)",
      placeholder: "3600",
      hint: "At most 604800 (7 days). A presigned URL is usable by whoever holds it until then; Plugboard masks its signature.",
      when: (v) => v.signing === "query",
    },
  ],
});
