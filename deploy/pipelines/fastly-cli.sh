#!/usr/bin/env bash
# The same pipeline without Terraform, with the plain Fastly CLI: clone the active version of the
# PRODUCTION service, make the change on the clone (never activating it), then let the gate stage
# it, read the canary through staging, and activate it only if every reading passes.
#
#   FASTLY_API_TOKEN=... SERVICE_ID=... ./deploy/pipelines/fastly-cli.sh path/to/changed-snippet.vcl
#
# Exit status: the gate's (0 passed and activated, 1 usage/configuration, 2 blocked or failed).
set -euo pipefail

: "${FASTLY_API_TOKEN:?set FASTLY_API_TOKEN (the CLI and the gate both read it)}"
: "${SERVICE_ID:?set SERVICE_ID to the production service ID}"
CANARY_URL=${CANARY_URL:-https://files.example.org/edge-canary/canary.json}
SNIPPET_FILE=${1:?usage: fastly-cli.sh SNIPPET_FILE}

# 1. A draft: a clone of what production runs now. (go-fastly's JSON says "Number".)
VERSION=$(npx fastly service-version clone --service-id "$SERVICE_ID" --version active --json | jq -r '.Number // .number')
echo "draft version $VERSION" >&2

# 2. The change, on the draft only. For a Compute production service instead:
#    npx fastly compute update --service-id "$SERVICE_ID" --version "$VERSION" --package pkg/files.tar.gz
npx fastly vcl snippet update --service-id "$SERVICE_ID" --version "$VERSION" --name gcs_sign --content "$SNIPPET_FILE"

# 3. The gate: the only step that activates anything.
npm run --silent gate -- --service-id "$SERVICE_ID" --version "$VERSION" --url "$CANARY_URL" --confirm 3 --activate
