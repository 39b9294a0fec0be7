-- Companies are partitioned by reference year. A new year's register (1–2 M rows) is then bulk-loaded into a fresh table
-- and indexed in bulk when it is attached, instead of being inserted row by row into a table whose indexes (GiST points,
-- trigram names) must be updated per row; readers keep working meanwhile. Existing rows move to one partition per year.
-- Note for schema changes: drizzle-kit does not model partitioning; server/db/schema/register.ts still describes the
-- columns and indexes, and this file is the truth for the table's shape (the primary key is (id, ref_year)).
ALTER TABLE "company" RENAME TO "company_unpartitioned";--> statement-breakpoint
ALTER INDEX "company_pkey" RENAME TO "company_unpartitioned_pkey";--> statement-breakpoint
ALTER INDEX "company_year_orgnr_uq" RENAME TO "company_unpartitioned_year_orgnr_uq";--> statement-breakpoint
ALTER INDEX "company_year_sni1_idx" RENAME TO "company_unpartitioned_year_sni1_idx";--> statement-breakpoint
ALTER INDEX "company_year_kommun_idx" RENAME TO "company_unpartitioned_year_kommun_idx";--> statement-breakpoint
ALTER INDEX "company_year_lan_idx" RENAME TO "company_unpartitioned_year_lan_idx";--> statement-breakpoint
ALTER INDEX "company_geom_idx" RENAME TO "company_unpartitioned_geom_idx";--> statement-breakpoint
ALTER INDEX "company_name_trgm_idx" RENAME TO "company_unpartitioned_name_trgm_idx";--> statement-breakpoint
ALTER INDEX "company_synthetic_idx" RENAME TO "company_unpartitioned_synthetic_idx";--> statement-breakpoint
CREATE SEQUENCE IF NOT EXISTS "company_row_id_seq";--> statement-breakpoint
SELECT setval('company_row_id_seq', coalesce((SELECT max(id) FROM "company_unpartitioned"), 0) + 1, false);--> statement-breakpoint
CREATE TABLE "company" (
	"id" bigint NOT NULL DEFAULT nextval('company_row_id_seq'),
	"ref_year" integer NOT NULL,
	"orgnr" text NOT NULL,
	"source" text NOT NULL,
	"batch_id" integer NOT NULL,
	"name" text NOT NULL,
	"legal_form" text,
	"sole_trader" boolean NOT NULL,
	"sni_version" text NOT NULL,
	"sni" text[] NOT NULL,
	"sni1" text,
	"kommun_code" text,
	"lan_code" text,
	"placement" text,
	"street" text,
	"postcode" text,
	"city" text,
	"geom" geometry(Point,4326),
	"geom_public" geometry(Point,4326),
	"location_precision" text,
	"employees" integer,
	"size_class" text,
	"employees_est" real,
	"turnover" double precision,
	"value_added" double precision,
	"registered_on" date,
	"deregistered_on" date,
	"active" boolean NOT NULL,
	"marketing_opt_out" boolean,
	"description" text,
	"liquidation" text,
	"synthetic" boolean DEFAULT false NOT NULL,
	CONSTRAINT "company_pkey" PRIMARY KEY ("id", "ref_year")
) PARTITION BY LIST ("ref_year");--> statement-breakpoint
ALTER SEQUENCE "company_row_id_seq" OWNED BY "company"."id";--> statement-breakpoint
CREATE UNIQUE INDEX "company_year_orgnr_uq" ON "company" USING btree ("ref_year","orgnr");--> statement-breakpoint
CREATE INDEX "company_year_sni1_idx" ON "company" USING btree ("ref_year","sni_version","sni1","kommun_code");--> statement-breakpoint
CREATE INDEX "company_year_kommun_idx" ON "company" USING btree ("ref_year","kommun_code");--> statement-breakpoint
CREATE INDEX "company_year_lan_idx" ON "company" USING btree ("ref_year","lan_code");--> statement-breakpoint
CREATE INDEX "company_geom_idx" ON "company" USING gist ("geom_public");--> statement-breakpoint
CREATE INDEX "company_name_trgm_idx" ON "company" USING gin (lower("name") gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "company_synthetic_idx" ON "company" USING btree ("id") WHERE synthetic;--> statement-breakpoint
DO $$
DECLARE y int;
BEGIN
  FOR y IN SELECT DISTINCT ref_year FROM "company_unpartitioned" LOOP
    EXECUTE format('CREATE TABLE %I PARTITION OF "company" FOR VALUES IN (%s)', 'company_y' || y, y);
  END LOOP;
END $$;--> statement-breakpoint
INSERT INTO "company" SELECT * FROM "company_unpartitioned";--> statement-breakpoint
DROP TABLE "company_unpartitioned";
