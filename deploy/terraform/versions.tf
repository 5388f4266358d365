# The Fastly provider: written against 9.5 (resource and attribute names checked with its docs);
# fastly_secretstore needs 5.4+, the `stage` attribute 5.17+, the fastly_staging_ips data source 8.7+.
terraform {
  required_version = ">= 1.4" # terraform_data (secrets.tf) needs 1.4

  required_providers {
    fastly = {
      source  = "fastly/fastly"
      version = ">= 6.0, < 10.0"
    }
  }
}

# The API token comes from FASTLY_API_KEY in the environment, never from a file in this directory.
provider "fastly" {}
