#!/usr/bin/env bash
# npm audit of the production dependencies: fails on a high or critical advisory. Where the registry does not serve
# the audit endpoint (some proxies answer 405), it says so and does not fail: that is "not checked", not "clean".
set -uo pipefail
report=$(npm audit --omit=dev --audit-level=high --json 2>/dev/null)
status=$?
if [ "$status" -eq 0 ]; then
  echo "npm audit --omit=dev: no high or critical advisories"
  exit 0
fi
if printf '%s' "$report" | node -e '
  const r = JSON.parse(require("fs").readFileSync(0, "utf8") || "{}");
  process.exit(r.metadata && r.metadata.vulnerabilities ? 0 : 1);'; then
  printf '%s' "$report" | node -e '
    const v = JSON.parse(require("fs").readFileSync(0, "utf8")).metadata.vulnerabilities;
    console.error(`npm audit --omit=dev: ${v.critical} critical, ${v.high} high advisories`);'
  exit 1
fi
echo "npm audit --omit=dev: NOT CHECKED, the registry did not serve the audit endpoint ($(printf '%s' "$report" | node -e 'try{console.log(JSON.parse(require("fs").readFileSync(0,"utf8")).message)}catch{console.log("no answer")}'))"
exit 0
