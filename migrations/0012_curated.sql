CREATE TABLE "curated_entry" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "curated_entry_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"name" text NOT NULL,
	"type" text NOT NULL,
	"subtype" text,
	"groups" text[] DEFAULT '{}'::text[] NOT NULL,
	"definition" text,
	"kommun_code" text NOT NULL,
	"lan_code" text NOT NULL,
	"street" text,
	"postcode" text,
	"city" text,
	"geom" geometry(Point,4326),
	"geom_public" geometry(Point,4326),
	"location_precision" text,
	"orgnr" text,
	"website" text,
	"description" text,
	"attributes" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"opened_on" date,
	"closed_on" date,
	"source" text,
	"published" boolean DEFAULT false NOT NULL,
	"consent" jsonb,
	"consent_fields" text[],
	"synthetic" boolean DEFAULT false NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "curated_entry_type_check" CHECK ("curated_entry"."type" IN ('venue', 'workspace', 'support', 'association', 'person', 'other'))
);
--> statement-breakpoint
CREATE TABLE "curated_history" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "curated_history_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"entry_id" bigint NOT NULL,
	"version" integer NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"who" text NOT NULL,
	"action" text NOT NULL,
	"changes" jsonb NOT NULL,
	"snapshot" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "curated_suggestion" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "curated_suggestion_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"name" text NOT NULL,
	"type" text NOT NULL,
	"subtype" text,
	"kommun_code" text NOT NULL,
	"lan_code" text NOT NULL,
	"street" text,
	"city" text,
	"website" text,
	"description" text,
	"contact" text,
	"status" text DEFAULT 'pending' NOT NULL,
	"decided_by" text,
	"decided_at" timestamp with time zone,
	"entry_id" bigint
);
--> statement-breakpoint
CREATE INDEX "curated_entry_kommun_idx" ON "curated_entry" USING btree ("kommun_code");--> statement-breakpoint
CREATE INDEX "curated_entry_lan_idx" ON "curated_entry" USING btree ("lan_code","type");--> statement-breakpoint
CREATE INDEX "curated_entry_geom_idx" ON "curated_entry" USING gist ("geom_public");--> statement-breakpoint
CREATE INDEX "curated_entry_name_trgm_idx" ON "curated_entry" USING gin (lower("name") gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "curated_history_entry_idx" ON "curated_history" USING btree ("entry_id","version");--> statement-breakpoint
CREATE INDEX "curated_suggestion_lan_idx" ON "curated_suggestion" USING btree ("lan_code","status");