import "server-only";
import { readFileSync } from "node:fs";
import nodemailer, { type Transporter } from "nodemailer";
import { getEnv, getSmtpSettings, type SmtpSettings } from "@/lib/config/env";
import { describeAlert } from "../message";
import type { ChannelDescriptor } from "./types";

/** Email over SMTP (nodemailer), settings from PLUGBOARD_SMTP_*. Plain text, short, no secret. */

let cached: { key: string; transport: Transporter } | undefined;

function transportFor(settings: SmtpSettings): Transporter {
  const key = JSON.stringify(settings);
  if (cached?.key === key) return cached.transport;
  cached?.transport.close();
  const transport = nodemailer.createTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.tls === "tls",
    // starttls: refuse a server that does not offer STARTTLS rather than send the password in clear.
    requireTLS: settings.tls === "starttls",
    ignoreTLS: settings.tls === "none",
    auth: settings.user ? { user: settings.user, pass: settings.password ?? "" } : undefined,
    tls: settings.caFile ? { ca: readFileSync(settings.caFile, "utf8") } : undefined,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  });
  cached = { key, transport };
  return transport;
}

export const emailChannel: ChannelDescriptor = {
  label: "Email",
  unavailableReason() {
    return getSmtpSettings()
      ? null
      : "Email alerts are off on this Plugboard: no SMTP server is configured (an operator sets PLUGBOARD_SMTP_HOST and PLUGBOARD_SMTP_FROM).";
  },
  async deliver({ event, endpoint, team, userEmail }) {
    const settings = getSmtpSettings();
    if (!settings) return { ok: false, error: "no SMTP server is configured", retry: false };
    const to = endpoint.userId ? userEmail : endpoint.target;
    if (!to) return { ok: false, error: "the subscription has no email address", retry: false };
    const { subject, text } = describeAlert(event, team, getEnv().publicUrl);
    try {
      await transportFor(settings).sendMail({ from: settings.from, to, subject, text });
      return { ok: true };
    } catch (error) {
      const code = (error as { responseCode?: number }).responseCode;
      // 5xx SMTP answers are permanent (a refused recipient); network and 4xx answers are worth another try.
      return {
        ok: false,
        error: `the SMTP server refused or could not be reached: ${(error as Error).message.split("\n")[0].slice(0, 200)}`,
        retry: !(code && code >= 500),
      };
    }
  },
};
