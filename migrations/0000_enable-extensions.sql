-- PostGIS for boundaries and points, pg_trgm for typo-tolerant name search. Must run before any table uses them.
CREATE EXTENSION IF NOT EXISTS postgis;--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS pg_trgm;
