import type { Request, Response } from 'express';
import { sendText } from '../http/respond.js';

/** Admin answers are compact JSON; errors are `{"error": "<what to change>"}`. */
export const send = (res: Response, status: number, body: unknown) =>
  sendText(res, status, 'application/json', JSON.stringify(body));

/** The single value of a path parameter that may hold slashes (`*name` routes). */
export const joinedParam = (req: Request, name: string): string => {
  const value = (req.params as Record<string, string | string[]>)[name];
  return Array.isArray(value) ? value.join('/') : (value ?? '');
};

export const param = (req: Request, name: string): string =>
  (req.params as Record<string, string>)[name] ?? '';
