DROP INDEX "company_year_lan_idx";--> statement-breakpoint
CREATE INDEX "company_year_lan_sni_idx" ON "company" USING btree ("ref_year","lan_code","sni_version","sni1","kommun_code");