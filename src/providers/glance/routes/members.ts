import type { Resource } from '../../../http/route-table.js';
import { sendText } from '../../../http/respond.js';
import { glanceTimestamp } from '../../../validation/openstack-image.js';
import { callerFrom } from '../auth.js';
import { glanceErrors } from '../errors.js';
import { type ImageRecord, type MemberRecord, type MemberStatus, memberToWire } from '../model/image.js';
import { errorDoc as error, type GlanceRoutes, readJsonBody } from './kit.js';

const STATUSES: MemberStatus[] = ['pending', 'accepted', 'rejected'];

const notFound = error(404, 'No such image visible to the caller');
const memberNotFound = error(404, 'No such image, or no such member of it');
const notShared = error(403, 'The image is not shared');

/** /v2/images/{id}/members: the owner shares, the member project accepts or rejects. */
export function memberResources(k: GlanceRoutes): Resource[] {
  const { ctx, reply, catalog } = k;

  const sharedImage = (image: ImageRecord, what: string) => {
    if (image.visibility !== 'shared') {
      throw glanceErrors.forbidden(
        `Not allowed to ${what} for image ${image.id}: Only shared images have members.`,
      );
    }
  };
  const imageOf = (id: string, res: Parameters<typeof callerFrom>[0]) => {
    const image = catalog.get(id);
    if (!image || !catalog.visible(callerFrom(res), image))
      throw glanceErrors.notFound(`Image ${id} not found.`);
    return image;
  };
  const memberOf = (image: ImageRecord, memberId: string) => {
    const member = catalog.member(image.id, memberId);
    if (!member)
      throw glanceErrors.notFound(`${memberId} not found in the member list of the image ${image.id}.`);
    return member;
  };
  /** The member API's bodies must be objects; Glance says which form it expected. */
  const objectBody = (body: unknown, form: string) => {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw glanceErrors.badRequest(`Expected a ${form}`);
    }
    return body as Record<string, unknown>;
  };

  return [
    {
      path: '/images/:id/members',
      operations: {
        GET: {
          summary: 'List the members of a shared image (a member sees only itself)',
          responses: [
            { status: 200, description: 'The members', schema: 'glance/members' },
            notShared,
            notFound,
          ],
          handler: (req, res) => {
            const caller = callerFrom(res);
            const image = imageOf(req.params.id as string, res);
            sharedImage(image, 'list members');
            const all = catalog.membersOfImage(image.id);
            const mine = caller.isAdmin || image.owner === caller.projectId;
            const members = mine ? all : all.filter((m) => m.member_id === caller.projectId);
            reply(
              req,
              res,
              200,
              { members: members.map(memberToWire), schema: '/v2/schemas/members' },
              'glance/members',
            );
          },
        },
        POST: {
          summary: 'Share the image with a project (pending)',
          request: { schema: 'glance/member-request' },
          responses: [
            { status: 200, description: 'The new member', schema: 'glance/member' },
            error(400, 'No member in the body'),
            error(403, 'Not the owner, or the image is not shared'),
            notFound,
            error(409, 'Already a member'),
            error(413, 'Body too large'),
          ],
          handler: async (req, res) => {
            const body = objectBody(
              await readJsonBody(ctx, req, res),
              'member in the form: {"member": "image_id"}',
            );
            if (!Object.hasOwn(body, 'member'))
              throw glanceErrors.badRequest('Member to be added not specified');
            const memberId = String(body.member);
            const caller = callerFrom(res);
            const image = imageOf(req.params.id as string, res);
            if ((!caller.isAdmin && image.owner !== caller.projectId) || image.visibility !== 'shared') {
              throw glanceErrors.forbidden(`Not allowed to create members for image ${image.id}.`);
            }
            if (catalog.member(image.id, memberId)) {
              throw glanceErrors.conflict(`Member ${memberId} is duplicated for image ${image.id}`);
            }
            const stamp = glanceTimestamp(ctx.clock.now());
            const member: MemberRecord = {
              image_id: image.id,
              member_id: memberId,
              status: 'pending',
              created_at: stamp,
              updated_at: stamp,
            };
            reply(req, res, 200, memberToWire(await catalog.addMember(member)), 'glance/member');
          },
        },
      },
    },

    {
      path: '/images/:id/members/:member',
      operations: {
        GET: {
          summary: 'Show one member',
          responses: [
            { status: 200, description: 'The member', schema: 'glance/member' },
            notShared,
            memberNotFound,
          ],
          handler: (req, res) => {
            const caller = callerFrom(res);
            const image = imageOf(req.params.id as string, res);
            sharedImage(image, 'show member');
            const member = memberOf(image, req.params.member as string);
            if (
              !caller.isAdmin &&
              image.owner !== caller.projectId &&
              member.member_id !== caller.projectId
            ) {
              throw glanceErrors.notFound(
                `${member.member_id} not found in the member list of the image ${image.id}.`,
              );
            }
            reply(req, res, 200, memberToWire(member), 'glance/member');
          },
        },
        PUT: {
          summary: 'Accept or reject the share (the member project)',
          request: { schema: 'glance/member-status-request' },
          responses: [
            { status: 200, description: 'The updated member', schema: 'glance/member' },
            error(400, 'No status, or not pending, accepted or rejected'),
            error(403, 'Not the member project'),
            memberNotFound,
            error(413, 'Body too large'),
          ],
          handler: async (req, res) => {
            const body = objectBody(
              await readJsonBody(ctx, req, res),
              'status in the form: {"status": "status"}',
            );
            if (!Object.hasOwn(body, 'status')) throw glanceErrors.badRequest('Status not specified');
            const caller = callerFrom(res);
            const image = imageOf(req.params.id as string, res);
            const member = memberOf(image, req.params.member as string);
            if (member.member_id !== caller.projectId && !caller.isAdmin) {
              throw glanceErrors.forbidden(`Not allowed to update members for image ${image.id}.`);
            }
            if (!STATUSES.includes(body.status as MemberStatus)) {
              throw glanceErrors.badRequest(
                'Incorrect request: Status must be "pending", "accepted" or "rejected".',
              );
            }
            const updated = await catalog.updateMember(member, {
              status: body.status as MemberStatus,
              updated_at: glanceTimestamp(ctx.clock.now()),
            });
            reply(req, res, 200, memberToWire(updated), 'glance/member');
          },
        },
        DELETE: {
          summary: 'Stop sharing with a project',
          responses: [
            { status: 204, description: 'Removed (empty body)' },
            error(403, 'Not the owner'),
            memberNotFound,
          ],
          handler: async (req, res) => {
            const caller = callerFrom(res);
            const image = imageOf(req.params.id as string, res);
            const member = memberOf(image, req.params.member as string);
            if (!caller.isAdmin && image.owner !== caller.projectId) {
              throw glanceErrors.forbidden(`Not allowed to delete members for image ${image.id}.`);
            }
            await catalog.removeMember(member);
            sendText(res, 204, null, '', { 'Content-Length': '0' });
          },
        },
      },
    },
  ];
}
