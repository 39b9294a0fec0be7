CREATE TABLE "kommun" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"lan_code" text NOT NULL,
	"geom" geometry(MultiPolygon,4326),
	"geom_detail" geometry(MultiPolygon,4326),
	"point" geometry(Point,4326)
);
--> statement-breakpoint
CREATE TABLE "lan" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"geom" geometry(MultiPolygon,4326),
	"geom_detail" geometry(MultiPolygon,4326),
	"point" geometry(Point,4326)
);
--> statement-breakpoint
CREATE TABLE "legal_form" (
	"code" text PRIMARY KEY NOT NULL,
	"title_sv" text NOT NULL,
	"natural_person" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "population" (
	"kommun_code" text NOT NULL,
	"year" integer NOT NULL,
	"population" integer NOT NULL,
	CONSTRAINT "population_kommun_code_year_pk" PRIMARY KEY("kommun_code","year")
);
--> statement-breakpoint
CREATE TABLE "region_set" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"description" text
);
--> statement-breakpoint
CREATE TABLE "region_set_member" (
	"set_code" text NOT NULL,
	"level" text NOT NULL,
	"region_code" text NOT NULL,
	CONSTRAINT "region_set_member_set_code_level_region_code_pk" PRIMARY KEY("set_code","level","region_code")
);
--> statement-breakpoint
CREATE TABLE "size_class" (
	"code" text PRIMARY KEY NOT NULL,
	"label" text NOT NULL,
	"min" integer NOT NULL,
	"max" integer,
	"estimate" real NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sni" (
	"version" text NOT NULL,
	"code" text NOT NULL,
	"level" integer NOT NULL,
	"title_sv" text,
	"title_en" text,
	"parent" text,
	CONSTRAINT "sni_version_code_pk" PRIMARY KEY("version","code")
);
--> statement-breakpoint
CREATE TABLE "sun_field" (
	"code" text PRIMARY KEY NOT NULL,
	"level" integer NOT NULL,
	"title_sv" text NOT NULL,
	"parent" text,
	"cci_relevance" text
);
--> statement-breakpoint
CREATE TABLE "kkb_category" (
	"definition_id" text NOT NULL,
	"code" text NOT NULL,
	"group_code" text NOT NULL,
	"name" text NOT NULL,
	"sort" integer NOT NULL,
	CONSTRAINT "kkb_category_definition_id_code_pk" PRIMARY KEY("definition_id","code")
);
--> statement-breakpoint
CREATE TABLE "kkb_definition" (
	"id" text PRIMARY KEY NOT NULL,
	"version" text NOT NULL,
	"name" text NOT NULL,
	"provisional" boolean NOT NULL,
	"national" boolean DEFAULT false NOT NULL,
	"description" text,
	"source" text,
	"loaded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "kkb_group" (
	"definition_id" text NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"sort" integer NOT NULL,
	CONSTRAINT "kkb_group_definition_id_code_pk" PRIMARY KEY("definition_id","code")
);
--> statement-breakpoint
CREATE TABLE "kkb_sni" (
	"definition_id" text NOT NULL,
	"sni_version" text NOT NULL,
	"sni_code" text NOT NULL,
	"category_code" text NOT NULL,
	"share" real DEFAULT 1 NOT NULL,
	"confidence" text,
	"note" text,
	CONSTRAINT "kkb_sni_definition_id_sni_version_sni_code_pk" PRIMARY KEY("definition_id","sni_version","sni_code")
);
--> statement-breakpoint
CREATE TABLE "api_token" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"role" text NOT NULL,
	"token_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "api_token_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "company" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "company_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
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
	"synthetic" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "education_programme" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "education_programme_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"provider_id" bigint NOT NULL,
	"name" text,
	"sun_code" text,
	"places" integer,
	"start_year" integer
);
--> statement-breakpoint
CREATE TABLE "education_provider" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "education_provider_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"ref_year" integer NOT NULL,
	"source" text NOT NULL,
	"batch_id" integer NOT NULL,
	"name" text NOT NULL,
	"provider_type" text NOT NULL,
	"kommun_code" text,
	"lan_code" text,
	"placement" text,
	"street" text,
	"postcode" text,
	"city" text,
	"geom" geometry(Point,4326),
	"location_precision" text,
	"url" text,
	"synthetic" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "export_log" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "export_log_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"who" text NOT NULL,
	"role" text NOT NULL,
	"route" text NOT NULL,
	"format" text NOT NULL,
	"filters" jsonb NOT NULL,
	"row_count" integer
);
--> statement-breakpoint
CREATE TABLE "import_batch" (
	"id" serial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"format" text NOT NULL,
	"source" text NOT NULL,
	"file_name" text NOT NULL,
	"file_sha256" text,
	"ref_year" integer,
	"sni_version" text,
	"status" text NOT NULL,
	"synthetic" boolean DEFAULT false NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"counts" jsonb,
	"message" text,
	"created_by" text
);
--> statement-breakpoint
CREATE TABLE "import_error" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "import_error_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"batch_id" integer NOT NULL,
	"file" text NOT NULL,
	"line" integer NOT NULL,
	"column" text,
	"value" text,
	"reason" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "kf_company_cell" (
	"ref_year" integer NOT NULL,
	"kommun_code" text NOT NULL,
	"sni_version" text NOT NULL,
	"sni_code" text NOT NULL,
	"companies" integer NOT NULL,
	"employees" double precision NOT NULL,
	"employees_n" integer NOT NULL,
	"employees_exact_n" integer NOT NULL,
	"employees_max" double precision,
	"turnover" double precision NOT NULL,
	"turnover_n" integer NOT NULL,
	"turnover_max" double precision,
	"value_added" double precision NOT NULL,
	"value_added_n" integer NOT NULL,
	"value_added_max" double precision,
	CONSTRAINT "kf_company_cell_ref_year_kommun_code_sni_version_sni_code_pk" PRIMARY KEY("ref_year","kommun_code","sni_version","sni_code")
);
--> statement-breakpoint
CREATE TABLE "kf_workplace_cell" (
	"ref_year" integer NOT NULL,
	"kommun_code" text NOT NULL,
	"sni_version" text NOT NULL,
	"sni_code" text NOT NULL,
	"workplaces" integer NOT NULL,
	CONSTRAINT "kf_workplace_cell_ref_year_kommun_code_sni_version_sni_code_pk" PRIMARY KEY("ref_year","kommun_code","sni_version","sni_code")
);
--> statement-breakpoint
CREATE TABLE "meta" (
	"key" text PRIMARY KEY NOT NULL,
	"value" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "workplace" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "workplace_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"ref_year" integer NOT NULL,
	"workplace_id" text NOT NULL,
	"orgnr" text,
	"source" text NOT NULL,
	"batch_id" integer NOT NULL,
	"name" text NOT NULL,
	"sole_trader" boolean DEFAULT false NOT NULL,
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
	"active" boolean NOT NULL,
	"synthetic" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
ALTER TABLE "kommun" ADD CONSTRAINT "kommun_lan_code_lan_code_fk" FOREIGN KEY ("lan_code") REFERENCES "public"."lan"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "population" ADD CONSTRAINT "population_kommun_code_kommun_code_fk" FOREIGN KEY ("kommun_code") REFERENCES "public"."kommun"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "region_set_member" ADD CONSTRAINT "region_set_member_set_code_region_set_code_fk" FOREIGN KEY ("set_code") REFERENCES "public"."region_set"("code") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kkb_category" ADD CONSTRAINT "kkb_category_definition_id_group_code_kkb_group_definition_id_code_fk" FOREIGN KEY ("definition_id","group_code") REFERENCES "public"."kkb_group"("definition_id","code") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kkb_group" ADD CONSTRAINT "kkb_group_definition_id_kkb_definition_id_fk" FOREIGN KEY ("definition_id") REFERENCES "public"."kkb_definition"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kkb_sni" ADD CONSTRAINT "kkb_sni_definition_id_category_code_kkb_category_definition_id_code_fk" FOREIGN KEY ("definition_id","category_code") REFERENCES "public"."kkb_category"("definition_id","code") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "education_programme" ADD CONSTRAINT "education_programme_provider_id_education_provider_id_fk" FOREIGN KEY ("provider_id") REFERENCES "public"."education_provider"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_error" ADD CONSTRAINT "import_error_batch_id_import_batch_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."import_batch"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "company_year_orgnr_uq" ON "company" USING btree ("ref_year","orgnr");--> statement-breakpoint
CREATE INDEX "company_year_sni1_idx" ON "company" USING btree ("ref_year","sni_version","sni1","kommun_code");--> statement-breakpoint
CREATE INDEX "company_year_kommun_idx" ON "company" USING btree ("ref_year","kommun_code");--> statement-breakpoint
CREATE INDEX "company_year_lan_idx" ON "company" USING btree ("ref_year","lan_code");--> statement-breakpoint
CREATE INDEX "company_source_year_idx" ON "company" USING btree ("source","ref_year");--> statement-breakpoint
CREATE INDEX "company_geom_idx" ON "company" USING gist ("geom_public");--> statement-breakpoint
CREATE INDEX "company_name_trgm_idx" ON "company" USING gin (lower("name") gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "company_year_id_idx" ON "company" USING btree ("ref_year","id");--> statement-breakpoint
CREATE INDEX "education_programme_provider_idx" ON "education_programme" USING btree ("provider_id");--> statement-breakpoint
CREATE UNIQUE INDEX "education_provider_uq" ON "education_provider" USING btree ("ref_year","source","name","kommun_code");--> statement-breakpoint
CREATE INDEX "education_provider_geom_idx" ON "education_provider" USING gist ("geom");--> statement-breakpoint
CREATE INDEX "education_provider_name_trgm_idx" ON "education_provider" USING gin (lower("name") gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "import_error_batch_idx" ON "import_error" USING btree ("batch_id","line");--> statement-breakpoint
CREATE UNIQUE INDEX "workplace_year_id_uq" ON "workplace" USING btree ("ref_year","workplace_id");--> statement-breakpoint
CREATE INDEX "workplace_year_sni1_idx" ON "workplace" USING btree ("ref_year","sni_version","sni1","kommun_code");--> statement-breakpoint
CREATE INDEX "workplace_orgnr_idx" ON "workplace" USING btree ("orgnr","ref_year");--> statement-breakpoint
CREATE INDEX "workplace_source_year_idx" ON "workplace" USING btree ("source","ref_year");--> statement-breakpoint
CREATE INDEX "workplace_geom_idx" ON "workplace" USING gist ("geom_public");--> statement-breakpoint
CREATE INDEX "workplace_name_trgm_idx" ON "workplace" USING gin (lower("name") gin_trgm_ops);