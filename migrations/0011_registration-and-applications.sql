CREATE TABLE "company_event" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "company_event_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"ref_year" integer NOT NULL,
	"orgnr" text NOT NULL,
	"code" text NOT NULL,
	"date" date
);
--> statement-breakpoint
CREATE TABLE "company_name" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "company_name_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"ref_year" integer NOT NULL,
	"orgnr" text NOT NULL,
	"name" text NOT NULL,
	"kind" text,
	"protection_no" integer,
	"registered_on" date
);
--> statement-breakpoint
CREATE TABLE "company_registration" (
	"ref_year" integer NOT NULL,
	"orgnr" text NOT NULL,
	"batch_id" integer NOT NULL,
	"name" text,
	"names" jsonb NOT NULL,
	"legal_form_text" text,
	"registered_on" date,
	"deregistered_on" date,
	"deregistration_reason" text,
	"proceedings" text,
	"description" text,
	"street" text,
	"co_address" text,
	"postcode" text,
	"city" text,
	"country" text,
	CONSTRAINT "company_registration_ref_year_orgnr_pk" PRIMARY KEY("ref_year","orgnr")
);
--> statement-breakpoint
CREATE TABLE "education_application" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "education_application_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"ref_year" integer NOT NULL,
	"source" text NOT NULL,
	"batch_id" integer NOT NULL,
	"reference" text,
	"provider" text NOT NULL,
	"programme" text,
	"kommun_code" text,
	"area" text,
	"sun_code" text,
	"decision" text NOT NULL,
	"decision_text" text,
	"places_applied" integer,
	"places_granted" integer
);
--> statement-breakpoint
ALTER TABLE "company" ADD COLUMN "sources" text[];--> statement-breakpoint
CREATE INDEX "company_event_year_orgnr_idx" ON "company_event" USING btree ("ref_year","orgnr");--> statement-breakpoint
CREATE INDEX "company_name_year_orgnr_idx" ON "company_name" USING btree ("ref_year","orgnr");--> statement-breakpoint
CREATE INDEX "company_alt_name_trgm_idx" ON "company_name" USING gin (lower("name") gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "education_application_year_source_idx" ON "education_application" USING btree ("ref_year","source");