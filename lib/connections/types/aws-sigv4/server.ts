import "server-only";
import { escapeUri } from "@smithy/core/protocols";
import { Hash } from "@smithy/core/serde";
import { SignatureV4 } from "@smithy/signature-v4";
import { MASK } from "@/lib/http/mask";
import type { OutgoingRequest } from "@/lib/http/types";
import type { ConfigOf, ConnectionTypeServer, StoredSecrets } from "../descriptor";
import { type awsSigV4Form, isS3 } from "./form";

type Config = ConfigOf<typeof awsSigV4Form>;

const SIGNATURE_PARAM = "X-Amz-Signature";
const TOKEN_PARAM = "X-Amz-Security-Token";
const PAYLOAD_HASH_HEADER = "x-amz-content-sha256";
const UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
/** The query parameters a presigned URL carries; a redirect may bring back the previous hop's. */
const PRESIGN_PARAMS = new Set([
  "X-Amz-Algorithm",
  "X-Amz-Credential",
  "X-Amz-Date",
  "X-Amz-Expires",
  "X-Amz-SignedHeaders",
  TOKEN_PARAM,
  SIGNATURE_PARAM,
]);
// Node's crypto behind the SDK's checksum interface (what @smithy/hash-node, now folded into @smithy/core, exports).
const Sha256 = Hash.bind(null, "sha256");

/** Whether header signing sends the payload hash header: S3 refuses requests without it, others only when asked. */
export const sendsPayloadHash = (c: Pick<Config, "service" | "contentSha256">) => isS3(c.service) || c.contentSha256;

export const awsSigV4Server: ConnectionTypeServer<Config> = {
  // AWS endpoints differ per service and region: the allowed hosts come from the Test URL or allowed domains.
  urls: () => [],
  signsEachHop: true,
  async apply(req, { config, secrets }) {
    await signAwsRequest(req, config, secrets, new Date());
  },
  // A presigned URL works for whoever holds it until it expires: its signature is masked wherever a URL is shown.
  credentialQueryParams: (c) => (c.signing === "query" ? [SIGNATURE_PARAM, TOKEN_PARAM] : []),
  curl: (c, secrets) => ({
    kind: "options",
    options: [
      "--aws-sigv4",
      `aws:amz:${c.region}:${c.service}`,
      "--user",
      `${c.accessKeyId}:${MASK}`,
      ...(secrets.sessionToken ? ["-H", `x-amz-security-token: ${MASK}`] : []),
    ],
  }),
  summary: (c) => [
    { label: "Region", value: c.region },
    { label: "Service", value: c.service },
    {
      label: "Signature",
      value:
        c.signing === "query"
          ? `Presigned URL (expires in ${c.expiresIn} s)`
          : `Authorization header${sendsPayloadHash(c) ? ", x-amz-content-sha256" : ""}`,
    },
  ],
};

/**
 * Signs one request with @smithy/signature-v4 (the AWS SDK's signer) over its method, URL, headers and exact body
 * bytes, in the Authorization header or as a presigned query string. The query is rewritten in the signer's own
 * encoding (RFC 3986, %20 for a space): a server compares the signature against the query as it arrives, so what is
 * sent must be byte for byte what was signed.
 */
export async function signAwsRequest(req: OutgoingRequest, c: Config, secrets: StoredSecrets, signingDate: Date): Promise<void> {
  const secretAccessKey = secrets.secretAccessKey;
  if (!secretAccessKey) throw new Error("the connection has no secret access key; edit it and enter one");
  const s3 = isS3(c.service);
  const signer = new SignatureV4({
    credentials: { accessKeyId: c.accessKeyId, secretAccessKey, sessionToken: secrets.sessionToken || undefined },
    region: c.region,
    service: c.service,
    sha256: Sha256,
    uriEscapePath: !s3,
    applyChecksum: sendsPayloadHash(c),
  });
  const { url, headers } = req;
  // A presigned request replaces any earlier presign parameters (a redirect that kept the previous hop's query).
  const pairs = [...url.searchParams].filter(([k]) => c.signing === "header" || !PRESIGN_PARAMS.has(k));
  const host = headers.get("host") ?? url.host;
  const base = {
    method: req.method,
    protocol: url.protocol,
    hostname: url.hostname,
    path: url.pathname,
    query: queryBag(pairs),
    body: req.body,
  };

  if (c.signing === "header") {
    const sent: Record<string, string> = { host, ...Object.fromEntries(headers) };
    const signed = await signer.sign({ ...base, headers: sent }, { signingDate });
    for (const [name, value] of Object.entries(signed.headers)) {
      if (name !== "host" && sent[name] !== value) headers.set(name, value);
    }
    url.search = encodeQuery(pairs);
    return;
  }

  // A presigned URL signs the host and any x-amz-* headers (AWS refuses unsigned ones), which stay headers.
  const amzHeaders = [...headers].filter(([name]) => name.startsWith("x-amz-"));
  const signedHeaders: Record<string, string> = { host, ...Object.fromEntries(amzHeaders) };
  const keptAsHeaders = new Set(amzHeaders.map(([name]) => name));
  const unsigned = new Set<string>();
  if (s3) {
    // S3 presigned URLs do not cover the body: the signer reads UNSIGNED-PAYLOAD from this header, which is not sent.
    signedHeaders[PAYLOAD_HASH_HEADER] = UNSIGNED_PAYLOAD;
    keptAsHeaders.add(PAYLOAD_HASH_HEADER);
    unsigned.add(PAYLOAD_HASH_HEADER);
  }
  const presigned = await signer.presign(
    { ...base, headers: signedHeaders },
    { signingDate, expiresIn: Number(c.expiresIn), unhoistableHeaders: keptAsHeaders, unsignableHeaders: unsigned },
  );
  const userKeys = new Set(pairs.map(([k]) => k));
  const authParams = Object.entries(presigned.query ?? {}).filter((e): e is [string, string] => !userKeys.has(e[0]) && typeof e[1] === "string");
  url.search = encodeQuery([...pairs, ...authParams]);
}

/** The signer's query shape: repeated names become a list. */
function queryBag(pairs: [string, string][]): Record<string, string | string[]> {
  const bag = new Map<string, string | string[]>();
  for (const [k, v] of pairs) {
    const seen = bag.get(k);
    bag.set(k, seen === undefined ? v : [...(Array.isArray(seen) ? seen : [seen]), v]);
  }
  return Object.fromEntries(bag);
}

function encodeQuery(pairs: [string, string][]): string {
  return pairs.map(([k, v]) => `${escapeUri(k)}=${escapeUri(v)}`).join("&");
}
