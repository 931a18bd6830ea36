ALTER TABLE "teams" ADD COLUMN "registrations_need_approval" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "oauth_clients" ADD COLUMN "approved_by" uuid;--> statement-breakpoint
ALTER TABLE "oauth_clients" ADD COLUMN "approved_at" timestamp with time zone DEFAULT now();--> statement-breakpoint
ALTER TABLE "mcp_tools" ADD COLUMN "consent_text" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "oauth_clients" ADD CONSTRAINT "oauth_clients_approved_by_users_id_fk" FOREIGN KEY ("approved_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
-- Clients made before approvals existed were approved when made, dynamic ones by the member who allowed them.
UPDATE "oauth_clients" SET "approved_at" = "created_at", "approved_by" = CASE WHEN "registration" = 'dynamic' THEN "created_by" END;--> statement-breakpoint
-- Tools made before the consent wording existed: their description (for a model) until an admin writes one.
UPDATE "mcp_tools" SET "consent_text" = left("description", 300);
