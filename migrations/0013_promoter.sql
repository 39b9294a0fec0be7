CREATE TYPE "public"."firm_status" AS ENUM('new', 'contacted', 'meeting', 'in_programme', 'not_relevant');--> statement-breakpoint
CREATE TABLE "company_change" (
	"seq" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "company_change_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"change_batch_id" integer NOT NULL,
	"existed" boolean NOT NULL,
	"id" bigint,
	"ref_year" integer NOT NULL,
	"orgnr" text NOT NULL,
	"batch_id" integer,
	"source" text,
	"name" text,
	"legal_form" text,
	"sole_trader" boolean,
	"sni_version" text,
	"sni" text[],
	"sni1" text,
	"kommun_code" text,
	"lan_code" text,
	"placement" text,
	"street" text,
	"co_address" text,
	"postcode" text,
	"city" text,
	"geom" geometry(Point,4326),
	"geom_public" geometry(Point,4326),
	"location_precision" text,
	"employees" integer,
	"size_class" text,
	"employees_est" real,
	"registered_on" date,
	"deregistered_on" date,
	"active" boolean,
	"marketing_opt_out" boolean,
	"synthetic" boolean
);
--> statement-breakpoint
CREATE TABLE "firm_note" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "firm_note_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"organisation_id" integer NOT NULL,
	"orgnr" text NOT NULL,
	"status" "firm_status" NOT NULL,
	"note" text,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "segment" (
	"id" serial PRIMARY KEY NOT NULL,
	"organisation_id" integer NOT NULL,
	"name" text NOT NULL,
	"filters" jsonb NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "segment_visit" (
	"segment_id" integer NOT NULL,
	"subject" text NOT NULL,
	"seen_batch_id" integer NOT NULL,
	"seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "segment_visit_segment_id_subject_pk" PRIMARY KEY("segment_id","subject")
);
--> statement-breakpoint
ALTER TABLE "company" ADD COLUMN "co_address" text;--> statement-breakpoint
ALTER TABLE "firm_note" ADD CONSTRAINT "firm_note_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "segment" ADD CONSTRAINT "segment_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "segment_visit" ADD CONSTRAINT "segment_visit_segment_id_segment_id_fk" FOREIGN KEY ("segment_id") REFERENCES "public"."segment"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "company_change_year_batch_idx" ON "company_change" USING btree ("ref_year","change_batch_id");--> statement-breakpoint
CREATE INDEX "company_change_orgnr_idx" ON "company_change" USING btree ("ref_year","orgnr","change_batch_id");--> statement-breakpoint
CREATE INDEX "firm_note_org_orgnr_idx" ON "firm_note" USING btree ("organisation_id","orgnr","created_at");--> statement-breakpoint
CREATE INDEX "firm_note_orgnr_idx" ON "firm_note" USING btree ("orgnr");--> statement-breakpoint
CREATE INDEX "firm_note_created_idx" ON "firm_note" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "segment_org_idx" ON "segment" USING btree ("organisation_id");