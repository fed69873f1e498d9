"""
Replays what the public sharedcloud-cli (0.0.5) sends and how it reads the
answers: form login to SHAREDCLOUD_CLI_URL, the token kept in
~/.sharedcloud/client_config, `Authorization: Token <key>`, and every
created_at / current_server_time parsed with '%d-%m-%Y %H:%M:%S' (the CLI
crashes on anything else). Written for the mock's tests; prints JSON.
"""
import datetime
import json
import os
import sys

import requests

DATETIME_FORMAT = '%d-%m-%Y %H:%M:%S'
URL = os.environ['SHAREDCLOUD_CLI_URL']
DATA_FOLDER = os.path.join(os.path.expanduser('~'), '.sharedcloud')
CLIENT_CONFIG = os.path.join(DATA_FOLDER, 'client_config')
INSTANCE_CONFIG = os.path.join(DATA_FOLDER, 'instance_config')


def login(username, password):
    r = requests.post('{}/api/v1/api-token-auth/'.format(URL), data={'username': username, 'password': password})
    if r.status_code != 200:
        return {'status': r.status_code, 'content': r.content.decode()}
    os.makedirs(DATA_FOLDER, exist_ok=True)
    with open(CLIENT_CONFIG, 'w+') as f:
        f.write(r.json().get('token'))
    return {'status': 200}


def list_images(only_downloaded):
    with open(CLIENT_CONFIG) as f:
        token = f.read()
    url = '{}/api/v1/images/'.format(URL)
    if only_downloaded:
        with open(INSTANCE_CONFIG) as f:
            url += '?instance={}'.format(f.read())
    r = requests.get(url, headers={'Authorization': 'Token {}'.format(token)})
    if r.status_code != 200:
        return {'status': r.status_code, 'content': r.content.decode()}
    rows = []
    for resource in r.json():
        now = datetime.datetime.strptime(resource.get('current_server_time'), DATETIME_FORMAT)
        created = datetime.datetime.strptime(resource.get('created_at'), DATETIME_FORMAT)
        datetime.datetime.strptime(resource.get('updated_at'), DATETIME_FORMAT)
        rows.append({
            'uuid': resource.get('uuid'),
            'registry_path': resource.get('registry_path'),
            'requires_gpu': resource.get('requires_gpu'),
            'age_seconds': int((now - created).total_seconds()),
        })
    return {'status': 200, 'rows': rows}


def main():
    username, password, instance = sys.argv[1:4]
    out = {'login': login(username, password)}
    if out['login']['status'] == 200:
        out['list'] = list_images(False)
        with open(INSTANCE_CONFIG, 'w+') as f:
            f.write(instance)
        out['downloaded'] = list_images(True)
    print(json.dumps(out))


main()
