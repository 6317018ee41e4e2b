/**
 * The HTTP layer: Fastify with the shared hooks (request id, security headers, one log line per
 * request), the form parser, the error handler, and every route module registered in order.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { AppContext } from '../context.js';
import { registerAuthorize } from '../oauth/endpoints/authorize.js';
import { registerConsent } from '../oauth/endpoints/consent.js';
import { discoveryDocuments, registerDiscovery } from '../oauth/endpoints/discovery.js';
import { registerEndSession } from '../oauth/endpoints/end-session.js';
import { registerHealth } from '../oauth/endpoints/health.js';
import { jwksDocument, registerJwks } from '../oauth/endpoints/jwks.js';
import { registerLogin } from '../oauth/endpoints/login.js';
import { registerIntrospect } from '../oauth/endpoints/introspect.js';
import { registerRevoke } from '../oauth/endpoints/revoke.js';
import { registerToken } from '../oauth/endpoints/token.js';
import { registerUserinfo } from '../oauth/endpoints/userinfo.js';
import { handleClientError, handleError, registerFallbacks } from './errors.js';
import { lazyChildLogger } from './lazy-child-logger.js';
import { FORM_TYPE, parseFormBody } from './params.js';
import { requestLog as makeRequestLog } from './request-log.js';
import { staticDocuments } from './static-documents.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated or named client, for the request log line. */
    clientId?: string;
  }
  interface FastifyReply {
    /** The OAuth error code answered, for the request log line and metrics. */
    errorCode?: string;
  }
}

/** Bodies above this are refused with 413; no OAuth request comes near it. */
export const BODY_LIMIT = 64 * 1024;

/** A route module: adds its routes to the server. */
export type RouteModule = (app: FastifyInstance, ctx: AppContext) => void;

/** Route modules, in the order they are registered. Later work appends here. */
export const ROUTES: RouteModule[] = [
  registerHealth,
  registerDiscovery,
  registerJwks,
  registerToken,
  registerRevoke,
  registerIntrospect,
  registerUserinfo,
  registerAuthorize,
  registerLogin,
  registerConsent,
  registerEndSession,
];

/** Builds the server (not yet listening). */
export function buildServer(ctx: AppContext): FastifyInstance {
  const requestLog = makeRequestLog(ctx.logger);
  const answerStatic = staticDocuments([...discoveryDocuments(ctx), jwksDocument(ctx)], requestLog);

  const app = Fastify({
    loggerInstance: ctx.logger as FastifyBaseLogger,
    // Fastify's two lines per request are replaced by the one written in onResponse below.
    logController: new LogController({ disableRequestLogging: true }),
    childLoggerFactory: lazyChildLogger,
    bodyLimit: BODY_LIMIT,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
    },
    routerOptions: { ignoreTrailingSlash: true },
    clientErrorHandler: handleClientError,
    frameworkErrors: handleError,
    // The node:http server Fastify would make, with the public documents answered first.
    serverFactory: (handler, options) => {
      const server = createServer((req, res) => {
        if (!answerStatic(req, res)) handler(req, res);
      });
      // The timeouts Fastify sets on a server it makes itself (its defaults, filled in by now).
      server.keepAliveTimeout = Number(options.keepAliveTimeout);
      server.requestTimeout = Number(options.requestTimeout);
      return server;
    },
  });

  app.addContentTypeParser(FORM_TYPE, { parseAs: 'buffer' }, parseFormBody);

  app.addHook('onSend', (_request, reply, payload, done) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    done(null, payload);
  });

  app.addHook('onResponse', (request, reply, done) => {
    requestLog.write({
      reqId: request.id,
      method: request.method,
      endpoint: request.routeOptions.url ?? request.url.split('?')[0],
      status: reply.statusCode,
      ms: reply.elapsedTime,
      clientId: request.clientId,
      error: reply.errorCode,
    });
    done();
  });

  app.setErrorHandler(handleError);
  registerFallbacks(app);

  for (const register of ROUTES) register(app, ctx);
  return app;
}
