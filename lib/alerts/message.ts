import type { DeliverableEvent } from "./events";

/** The words of an alert, short and plain, for email and for the webhook payload's `summary`. Never a secret. */
export function describeAlert(event: DeliverableEvent, team: { name: string }, publicUrl: string): { subject: string; text: string; link: string } {
  const prefix = `[Plugboard · ${team.name}]`;
  switch (event.kind) {
    case "connection.failing":
    case "connection.needs_reauthorization": {
      const link = `${publicUrl}/connections/${event.connection.id}`;
      const what = event.kind === "connection.failing" ? "is failing" : "needs reauthorization";
      const still = event.reminder ? "still " : "";
      const todo = event.kind === "connection.failing" ? "Open it to check its settings and Verify it." : "Open it and click Reauthorize.";
      return {
        subject: `${prefix} Connection "${event.connection.name}" ${still}${what}`,
        text: `The connection "${event.connection.name}" in team ${team.name} ${still}${what}.\n\n${event.message}\n\n${todo}\n${link}\n`,
        link,
      };
    }
    case "connection.resolved": {
      const link = `${publicUrl}/connections/${event.connection.id}`;
      return {
        subject: `${prefix} Resolved: connection "${event.connection.name}" works again`,
        text: `The connection "${event.connection.name}" in team ${team.name} works again.\n\n${link}\n`,
        link,
      };
    }
    case "connection.expiring": {
      const link = `${publicUrl}/connections/${event.connection.id}`;
      const days = event.thresholdDays === 1 ? "1 day" : `${event.thresholdDays} days`;
      return {
        subject: `${prefix} Connection "${event.connection.name}" expires in ${days}`,
        text: `The credentials of the connection "${event.connection.name}" in team ${team.name} expire on ${event.expiresOn} (in ${days} or less).\n\nReplace them before then: open the connection and click Edit.\n${link}\n`,
        link,
      };
    }
    case "flow.failing": {
      const link = `${publicUrl}/flows/${event.flow.id}`;
      return {
        subject: `${prefix} Flow "${event.flow.name}" failed ${event.failedRuns} runs in a row`,
        text: `The flow "${event.flow.name}" in team ${team.name} failed its last ${event.failedRuns} runs.${event.lastError ? `\n\nLast error: ${event.lastError}` : ""}\n\n${link}\n`,
        link,
      };
    }
    case "flow.resolved": {
      const link = `${publicUrl}/flows/${event.flow.id}`;
      return {
        subject: `${prefix} Resolved: flow "${event.flow.name}" succeeded again`,
        text: `The flow "${event.flow.name}" in team ${team.name} succeeded again after failing several runs in a row.\n\n${link}\n`,
        link,
      };
    }
    case "application.secret_expiring": {
      const link = `${publicUrl}/team/applications`;
      const days = event.thresholdDays === 1 ? "1 day" : `${event.thresholdDays} days`;
      return {
        subject: `${prefix} Application "${event.application.name}" has no client secret left in ${days}`,
        text: `The last active client secret of the application "${event.application.name}" in team ${team.name} expires on ${event.expiresOn} (in ${days} or less); after that it cannot get tokens.\n\nOpen Applications, choose Secrets > Add secret, switch the integration to the new secret, then revoke the old one.\n${link}\n`,
        link,
      };
    }
    case "alert.test": {
      const link = `${publicUrl}/team/alerts`;
      return { subject: `${prefix} Test alert`, text: `This is a test alert from team ${team.name}. Nothing is wrong.\n\n${link}\n`, link };
    }
  }
}
