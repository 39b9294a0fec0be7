DROP INDEX "company_source_year_idx";--> statement-breakpoint
DROP INDEX "company_year_id_idx";