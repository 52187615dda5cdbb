#!/usr/bin/env python3
"""Adds the statistics triggers and the initial fill to a freshly generated CampaignStatistics migration (both providers).
Usage: scripts/patch-statistics-migration.py  (run after `dotnet ef migrations add CampaignStatistics` for both contexts)."""
import glob, re, sys

def patch(path, provider):
    s = open(path).read()
    if "StatisticsTriggers" in s:
        return
    up = f"""
            // Triggers keep the statistics in the writing transaction; the fill counts what is already there.
            foreach (var sql in StatisticsTriggers.{provider}Create().Concat(StatisticsTriggers.{provider}Fill()))
            {{
                migrationBuilder.Sql(sql);
            }}
        }}

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {{
            foreach (var sql in StatisticsTriggers.{provider}Drop())
            {{
                migrationBuilder.Sql(sql);
            }}
"""
    s, n = re.subn(r"\n        }\n\n        /// <inheritdoc />\n        protected override void Down\(MigrationBuilder migrationBuilder\)\n        {\n", up, s, count=1)
    if n != 1:
        sys.exit(f"cannot find Up/Down in {path}")
    s = s.replace("using Microsoft.EntityFrameworkCore.Migrations;", "using BounceDashboard.Web.Data.Statistics;\nusing Microsoft.EntityFrameworkCore.Migrations;", 1)
    open(path, "w").write(s)

for provider, folder in (("Sqlite", "Sqlite"), ("SqlServer", "SqlServer")):
    files = [f for f in glob.glob(f"BounceDashboard.Web/Data/Migrations/{folder}/*_CampaignStatistics.cs")]
    if len(files) != 1:
        sys.exit(f"expected one CampaignStatistics migration in {folder}, found {files}")
    patch(files[0], provider)
    print("patched", files[0])
