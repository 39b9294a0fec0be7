ALTER TABLE "kf_company_cell" ADD COLUMN "turnover_withheld_n" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "kf_company_cell" ADD COLUMN "turnover_withheld" double precision DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "kf_company_cell" ADD COLUMN "turnover_withheld_max" double precision;--> statement-breakpoint
ALTER TABLE "kf_company_cell" ADD COLUMN "value_added_withheld_n" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "kf_company_cell" ADD COLUMN "value_added_withheld" double precision DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "kf_company_cell" ADD COLUMN "value_added_withheld_max" double precision;--> statement-breakpoint
-- Fill the new columns of the cells already stored (as refreshCompanyCells in server/keyfigures/cells.ts does on import), so
-- disclosure control counts withheld contributions from the first start after the upgrade, without a re-import.
UPDATE "kf_company_cell" k SET "turnover_withheld_n" = w.tn, "turnover_withheld" = w.t, "turnover_withheld_max" = w.tm,
  "value_added_withheld_n" = w.vn, "value_added_withheld" = w.v, "value_added_withheld_max" = w.vm
FROM (SELECT ref_year, coalesce(kommun_code, '') AS kommun_code, sni_version, coalesce(sni1, '') AS sni_code,
    count(turnover) AS tn, coalesce(sum(turnover), 0) AS t, max(turnover) AS tm,
    count(value_added) AS vn, coalesce(sum(value_added), 0) AS v, max(value_added) AS vm
  FROM "company" WHERE active AND sole_trader
  GROUP BY ref_year, coalesce(kommun_code, ''), sni_version, coalesce(sni1, '')) w
WHERE k.ref_year = w.ref_year AND k.kommun_code = w.kommun_code AND k.sni_version = w.sni_version AND k.sni_code = w.sni_code;
