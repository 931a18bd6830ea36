import { z } from "zod";
import { apiKeyForm } from "./api-key/form";
import { basicForm } from "./basic/form";
import type { AnyConnectionTypeForm, ConfigOf, ConnectionTypeForm } from "./descriptor";
import { awsSigV4Form } from "./aws-sigv4/form";
import { customForm } from "./custom/form";
import { digestForm } from "./digest/form";
import { oauth1Form } from "./oauth1/form";
import { oauth2ClientCredentialsForm } from "./oauth2-client-credentials/form";
import { oauth2CodeForm } from "./oauth2-code/form";
import { oauth2JwtBearerForm } from "./oauth2-jwt-bearer/form";
import { oauth2PasswordForm } from "./oauth2-password/form";

/**
 * The connection types: the one list. Client-safe (forms, labels, schemas); the server half of each
 * type is in registry.ts, which must cover every key of this record. The order is the type picker's.
 */
export const CONNECTION_TYPE_FORMS = {
  api_key: apiKeyForm,
  basic: basicForm,
  oauth2_code: oauth2CodeForm,
  oauth2_client_credentials: oauth2ClientCredentialsForm,
  oauth2_jwt_bearer: oauth2JwtBearerForm,
  digest: digestForm,
  oauth1: oauth1Form,
  aws_sigv4: awsSigV4Form,
  custom: customForm,
  oauth2_password: oauth2PasswordForm,
} satisfies Record<string, AnyConnectionTypeForm>;

type Forms = typeof CONNECTION_TYPE_FORMS;
export type ConnectionType = keyof Forms;
export const CONNECTION_TYPES = Object.keys(CONNECTION_TYPE_FORMS) as [ConnectionType, ...ConnectionType[]];

/** A type's parsed input (z.output of its schema). */
export type ConnectionInputOf<T extends ConnectionType> = z.output<Forms[T]["schema"]>;
/** A type's form values (z.input of its schema). */
export type ConnectionFormValuesOf<T extends ConnectionType> = z.input<Forms[T]["schema"]>;
/** What a type stores in the clear. */
export type StoredConfigOf<T extends ConnectionType> = ConfigOf<Forms[T]>;

export type ConnectionInput = { [T in ConnectionType]: ConnectionInputOf<T> }[ConnectionType];
export type ConnectionFormValues = { [T in ConnectionType]: ConnectionFormValuesOf<T> }[ConnectionType];
export type StoredConfig = { [T in ConnectionType]: StoredConfigOf<T> }[ConnectionType];

/** Every type's schema, discriminated on `type`: the input of the form's action and of the REST API. */
export const connectionInputSchema = z.discriminatedUnion(
  "type",
  Object.values(CONNECTION_TYPE_FORMS).map((f) => f.schema) as unknown as [Forms[ConnectionType]["schema"], ...Forms[ConnectionType]["schema"][]],
) as unknown as z.ZodType<ConnectionInput, ConnectionFormValues>;

/**
 * A type's form half as the form renderer sees it: its values typed as the union of every type's form values
 * (each field path is one of its own type's), its secret field names as strings.
 */
export type ConnectionTypeFormOf = Omit<ConnectionTypeForm<ConnectionType, ConnectionFormValues, ConnectionInput, never>, "secretFields"> & {
  secretFields: ReadonlyArray<string>;
};

export function connectionTypeForm(type: ConnectionType): ConnectionTypeFormOf {
  return CONNECTION_TYPE_FORMS[type];
}

export function isConnectionType(value: string): value is ConnectionType {
  return Object.hasOwn(CONNECTION_TYPE_FORMS, value);
}
