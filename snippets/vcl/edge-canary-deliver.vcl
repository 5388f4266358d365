# edge-canary rule, part 3 of 4: vcl_deliver.
# Install as a VCL snippet of type "deliver", priority 5 (before the service's own deliver logic,
# which is where restart-on-403 fallbacks usually live):
#   fastly vcl snippet create --service-id "$SERVICE_ID" --version latest --autoclone \
#     --name edge-canary-deliver --type deliver --priority 5 --content snippets/vcl/edge-canary-deliver.vcl
#
# Why: a restart onto the archive bucket would hide a broken primary credential. `return(deliver)`
# hands the primary's answer (a 403 SignatureDoesNotMatch, say) to edge-canary without running the
# restart logic below it. Age and X-Cache are left exactly as Fastly set them: edge-canary reads them
# to prove the answer did not come from cache, so never fake or strip them for this path. If a
# restart happened anyway, say so: edge-canary reports `served_by_fallback` on Fastly-Restarts.
if (req.http.Edge-Canary) {
  if (req.restarts > 0) {
    set resp.http.Fastly-Restarts = req.restarts;
  }
  set resp.http.Cache-Control = "no-store";
  return(deliver);
}
