CREATE TABLE "occupation_list" (
	"id" text PRIMARY KEY NOT NULL,
	"version" text NOT NULL,
	"name" text NOT NULL,
	"classification" text NOT NULL,
	"provisional" boolean DEFAULT false NOT NULL,
	"source" text,
	"loaded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "occupation_list_code" (
	"list_id" text NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"sort" integer NOT NULL,
	CONSTRAINT "occupation_list_code_list_id_code_pk" PRIMARY KEY("list_id","code")
);
--> statement-breakpoint
CREATE TABLE "stat_cell" (
	"table_id" text NOT NULL,
	"contents" text NOT NULL,
	"year" integer NOT NULL,
	"region" text NOT NULL,
	"occupation" text NOT NULL,
	"sex" text NOT NULL,
	"age" text NOT NULL,
	"value" double precision,
	"status" text,
	CONSTRAINT "stat_cell_table_id_contents_year_region_occupation_sex_age_pk" PRIMARY KEY("table_id","contents","year","region","occupation","sex","age")
);
--> statement-breakpoint
CREATE TABLE "stat_table" (
	"id" text PRIMARY KEY NOT NULL,
	"title" text NOT NULL,
	"source" text NOT NULL,
	"updated" text,
	"unit" text,
	"format" text NOT NULL,
	"file_name" text NOT NULL,
	"batch_id" integer,
	"dimensions" jsonb NOT NULL,
	"fixed" jsonb,
	"imported_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "occupation_list_code" ADD CONSTRAINT "occupation_list_code_list_id_occupation_list_id_fk" FOREIGN KEY ("list_id") REFERENCES "public"."occupation_list"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stat_cell" ADD CONSTRAINT "stat_cell_table_id_stat_table_id_fk" FOREIGN KEY ("table_id") REFERENCES "public"."stat_table"("id") ON DELETE cascade ON UPDATE no action;