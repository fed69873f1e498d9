#!/usr/bin/env python3
"""A stand-in Keystone v3 for running Tempest against the real Glance here.

The real Glance of tools/real-glance has no Keystone: a token shim in its
pipeline knows three fixed tokens. Tempest logs in with a password, so this
answers POST /v3/auth/tokens for the three users of accounts.yaml with
those tokens, and a catalog whose image service is the real Glance. It
answers only what Tempest's auth client asks; the mock needs none of this
(its own shim under /v3 does the same over its fixtures).

Usage: keystone-standin.py PORT GLANCE_URL
"""
import datetime
import hashlib
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORT = int(sys.argv[1])
GLANCE = sys.argv[2].rstrip('/')
BASE = 'http://127.0.0.1:%d' % PORT
DOMAIN = {'id': 'default', 'name': 'Default'}
# name: (password, token the real Glance's shim knows, project id, project name, roles)
USERS = {
    'admin': ('admin-secret', 'admin-token', 'a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0', 'admin',
              ['admin', 'member', 'reader']),
    'demo': ('demo-secret', 'user-token', 'b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1', 'demo', ['member', 'reader']),
    'other': ('other-secret', 'other-token', 'c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2', 'other', ['member', 'reader']),
}
# the shim's user ids, so that what Glance records matches the token
USER_IDS = {'admin': 'u-admin', 'demo': 'u-user', 'other': 'u-other'}


def stable_id(text):
    return hashlib.md5(text.encode()).hexdigest()


def endpoints(service, url):
    return [{'id': stable_id(service + iface), 'interface': iface, 'region_id': 'RegionOne', 'url': url,
             'region': 'RegionOne'} for iface in ('public', 'internal', 'admin')]


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def send_json(self, status, body, headers=None):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path.rstrip('/') == '/v3':
            return self.send_json(200, {'version': {
                'id': 'v3.14', 'status': 'stable', 'updated': '2020-04-07T00:00:00Z',
                'links': [{'rel': 'self', 'href': BASE + '/v3/'}],
                'media-types': [{'base': 'application/json',
                                 'type': 'application/vnd.openstack.identity-v3+json'}]}})
        self.send_json(404, {'error': {'code': 404, 'title': 'Not Found', 'message': 'not here'}})

    def do_POST(self):
        length = int(self.headers.get('Content-Length') or 0)
        try:
            auth = json.loads(self.rfile.read(length) or b'{}')['auth']
            user = auth['identity']['password']['user']
        except (ValueError, KeyError, TypeError):
            return self.send_json(400, {'error': {'code': 400, 'title': 'Bad Request', 'message': 'bad'}})
        known = USERS.get(user.get('name'))
        if self.path != '/v3/auth/tokens' or not known or known[0] != user.get('password'):
            return self.send_json(401, {'error': {'code': 401, 'title': 'Unauthorized',
                                                  'message': 'The request you have made requires authentication.'}})
        _, token, project_id, project_name, roles = known
        now = datetime.datetime.now(datetime.timezone.utc)
        stamp = lambda d: d.strftime('%Y-%m-%dT%H:%M:%S.000000Z')
        body = {'token': {
            'methods': ['password'],
            'user': {'domain': DOMAIN, 'id': USER_IDS[user['name']], 'name': user['name'],
                     'password_expires_at': None},
            'audit_ids': [stable_id(token)[:22]],
            'expires_at': stamp(now + datetime.timedelta(hours=12)),
            'issued_at': stamp(now),
            'project': {'domain': DOMAIN, 'id': project_id, 'name': project_name},
            'is_domain': False,
            'roles': [{'id': stable_id('role/' + r), 'name': r} for r in roles],
            'catalog': [
                {'endpoints': endpoints('image', GLANCE), 'id': stable_id('image'), 'type': 'image',
                 'name': 'glance'},
                {'endpoints': endpoints('identity', BASE + '/v3'), 'id': stable_id('identity'),
                 'type': 'identity', 'name': 'keystone'},
            ]}}
        self.send_json(201, body, {'X-Subject-Token': token})


ThreadingHTTPServer(('127.0.0.1', PORT), Handler).serve_forever()
