"""Starts moto's server on 127.0.0.1 for the AWS emulator suite, with what this project needs of it that moto lacks.

Run: python3 moto_launcher.py [PORT]   (0 picks a free port; the chosen one is printed as "READY <port>")

moto is used as installed; nothing in the package is edited. What it lacks is adjusted here, in this process only:

- ListSecretVersionIds: moto answers the current time as every version's CreatedDate. The real service answers when
  the version was created, which is what the password-age function measures, so it is answered from the version.
- UpdateSecretVersionStage: moto moves the label, but GetSecretValue and BatchGetSecretValue without a stage keep
  answering the version written last. On AWS they answer the version labelled AWSCURRENT, so a confirmed rotation is
  read as one: the default version follows the AWSCURRENT label here.
- PutSecretValue with a ClientRequestToken already used for a different value: moto overwrites that version; AWS
  refuses (ResourceExistsException: a version is never changed). Refused here as there.
- AssumeRole of a role that does not exist: moto answers with credentials; AWS refuses (AccessDenied), as it does
  when the role's trust does not let the caller in. Refused here (but OrganizationAccountAccessRole, which
  Organizations makes in every account it creates, and which a test uses to set a member account up).
- A version's creation date can be set through POST /_launcher/version-created (JSON: secretId, createdDate in epoch
  seconds, optionally region, accountId, versionStage): a test seeds a password set 400 days ago without waiting.
"""

import json
import sys

from moto.core import DEFAULT_ACCOUNT_ID
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from moto.iam.models import iam_backends
from moto.secretsmanager.exceptions import ResourceExistsException
from moto.secretsmanager.models import SecretsManagerBackend, secretsmanager_backends
from moto.sts.exceptions import STSClientError
from moto.sts.models import STSBackend
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response


def list_secret_version_ids(self, secret_id):
    secret = self.secrets[secret_id]
    versions = [
        {
            "CreatedDate": version["createdate"],
            "VersionId": version_id,
            "VersionStages": version["version_stages"],
        }
        for version_id, version in secret.versions.items()
    ]
    return json.dumps({"ARN": secret.arn, "Name": secret.name, "Versions": versions})


SecretsManagerBackend.list_secret_version_ids = list_secret_version_ids

moto_update_secret_version_stage = SecretsManagerBackend.update_secret_version_stage


def update_secret_version_stage(self, secret_id, version_stage, remove_from_version_id, move_to_version_id):
    answer = moto_update_secret_version_stage(
        self, secret_id, version_stage, remove_from_version_id, move_to_version_id
    )
    if version_stage == "AWSCURRENT" and move_to_version_id:
        self.secrets[secret_id].default_version_id = move_to_version_id
    return answer


SecretsManagerBackend.update_secret_version_stage = update_secret_version_stage

moto_put_secret_value = SecretsManagerBackend.put_secret_value


def put_secret_value(self, secret_id, secret_string, secret_binary, client_request_token, version_stages):
    if client_request_token and self._is_valid_identifier(secret_id):
        existing = self.secrets[secret_id].versions.get(client_request_token)
        if existing is not None and (
            existing.get("secret_string") != secret_string or existing.get("secret_binary") != secret_binary
        ):
            raise ResourceExistsException(
                "You can't modify an existing version, you can only create a new version."
            )
    return moto_put_secret_value(self, secret_id, secret_string, secret_binary, client_request_token, version_stages)


SecretsManagerBackend.put_secret_value = put_secret_value


moto_assume_role = STSBackend.assume_role


def assume_role(self, region_name, role_session_name, role_arn, policy, duration, external_id):
    account_id = role_arn.split(":")[4]
    role_name = role_arn.split(":role/")[-1].split("/")[-1]
    if role_name != "OrganizationAccountAccessRole":
        try:
            iam_backends[account_id]["aws"].get_role(role_name)
        except Exception:
            raise STSClientError(
                "AccessDenied", f"User is not authorized to perform: sts:AssumeRole on resource: {role_arn}"
            )
    return moto_assume_role(self, region_name, role_session_name, role_arn, policy, duration, external_id)


STSBackend.assume_role = assume_role


def set_version_created(body):
    backend = secretsmanager_backends[body.get("accountId", DEFAULT_ACCOUNT_ID)][body.get("region", "eu-west-2")]
    secret = backend.secrets[body["secretId"]]
    stage = body.get("versionStage", "AWSCURRENT")
    matched = [v for v in secret.versions.values() if stage in v["version_stages"]]
    if not matched:
        return Response(json.dumps({"error": f"no version in stage {stage}"}), status=404)
    for version in matched:
        version["createdate"] = int(body["createdDate"])
    return Response(json.dumps({"updated": len(matched)}), mimetype="application/json")


class Launcher:
    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO") == "/_launcher/version-created":
            request = Request(environ)
            return set_version_created(json.loads(request.get_data(as_text=True)))(environ, start_response)
        return self.app(environ, start_response)


def main():
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    server = make_server("127.0.0.1", port, Launcher(DomainDispatcherApplication(create_backend_app)), threaded=True)
    print(f"READY {server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
