/**
 * The OAuth error catalogue. Each class carries its RFC error code, HTTP status, a public
 * description (sent) and a private detail (logged, never sent). invalid_client, invalid_grant and
 * invalid_token use fixed public wording so that responses reveal nothing an attacker can use.
 */
export class OAuthError extends Error {
  /** RFC error code, e.g. `invalid_request`. */
  readonly error: string;
  readonly status: number;
  /** Sent to the client as `error_description`. */
  readonly description: string;
  /** Logged only. */
  readonly detail: string | undefined;
  /** Extra response headers (WWW-Authenticate). */
  headers: Record<string, string> = {};

  constructor(error: string, status: number, description: string, detail?: string) {
    super(detail ? `${error}: ${description} (${detail})` : `${error}: ${description}`);
    this.error = error;
    this.status = status;
    this.description = description;
    this.detail = detail;
  }

  /**
   * The RFC 6749 §5.2 body. `error_description` may carry only %x20-21 / %x23-5B / %x5D-7E
   * (§4.1.2.1, §5.2); a description that quotes the request (a parameter name, a scope) has any
   * other character replaced, so that a client's own input cannot make the answer invalid.
   */
  toJSON(): { error: string; error_description: string } {
    const description = this.description.replace(/[^\x20\x21\x23-\x5b\x5d-\x7e]/g, '?');
    return { error: this.error, error_description: description };
  }
}

/** RFC 6749 §5.2 / §4.1.2.1 */
export class InvalidRequest extends OAuthError {
  constructor(description: string, detail?: string) {
    super('invalid_request', 400, description, detail);
  }
}

/**
 * RFC 6749 §5.2: 401 when the client tried to authenticate; with `WWW-Authenticate` when it used
 * the Authorization header.
 */
export class InvalidClient extends OAuthError {
  constructor(detail?: string, viaHeader = false) {
    super('invalid_client', 401, 'client authentication failed', detail);
    if (viaHeader) this.headers['www-authenticate'] = 'Basic realm="authly"';
  }
}

export class InvalidGrant extends OAuthError {
  constructor(detail?: string) {
    super('invalid_grant', 400, 'the grant is invalid, expired or revoked', detail);
  }
}

export class UnauthorizedClient extends OAuthError {
  constructor(description: string, detail?: string) {
    super('unauthorized_client', 400, description, detail);
  }
}

export class UnsupportedGrantType extends OAuthError {
  constructor(description = 'unsupported grant_type', detail?: string) {
    super('unsupported_grant_type', 400, description, detail);
  }
}

export class InvalidScope extends OAuthError {
  constructor(description: string, detail?: string) {
    super('invalid_scope', 400, description, detail);
  }
}

export class AccessDenied extends OAuthError {
  constructor(description = 'the resource owner denied the request', detail?: string) {
    super('access_denied', 403, description, detail);
  }
}

export class UnsupportedResponseType extends OAuthError {
  constructor(description = 'only response_type=code is supported', detail?: string) {
    super('unsupported_response_type', 400, description, detail);
  }
}

/** OIDC Core §3.1.2.6 */
export class LoginRequired extends OAuthError {
  constructor(description = 'the user is not signed in', detail?: string) {
    super('login_required', 400, description, detail);
  }
}

export class ConsentRequired extends OAuthError {
  constructor(description = 'the user has not consented', detail?: string) {
    super('consent_required', 400, description, detail);
  }
}

/** OIDC Core §6.1: a request object by value, which Authly does not take. */
export class RequestNotSupported extends OAuthError {
  constructor(description = 'request objects are not supported', detail?: string) {
    super('request_not_supported', 400, description, detail);
  }
}

/** OIDC Core §6.2: a request object by reference, which Authly does not take. */
export class RequestUriNotSupported extends OAuthError {
  constructor(description = 'request_uri is not supported', detail?: string) {
    super('request_uri_not_supported', 400, description, detail);
  }
}

/** RFC 6750 §3.1: 401 with a Bearer challenge. */
export class InvalidToken extends OAuthError {
  constructor(detail?: string) {
    super('invalid_token', 401, 'the access token is invalid, expired or revoked', detail);
    this.headers['www-authenticate'] =
      'Bearer realm="authly", error="invalid_token", ' +
      'error_description="the access token is invalid, expired or revoked"';
  }
}

export class InsufficientScope extends OAuthError {
  constructor(scope: string, detail?: string) {
    super('insufficient_scope', 403, `the access token lacks scope ${scope}`, detail);
    this.headers['www-authenticate'] =
      `Bearer realm="authly", error="insufficient_scope", scope="${scope}"`;
  }
}

/** 429 with Retry-After; the code is not in RFC 6749 but clients treat it as an OAuth error. */
export class TooManyRequests extends OAuthError {
  constructor(retryAfterSeconds: number, detail?: string) {
    super('slow_down', 429, 'too many requests, try again later', detail);
    this.headers['retry-after'] = String(Math.max(1, Math.ceil(retryAfterSeconds)));
  }
}

/** Anything unexpected: a generic public message, the cause logged. */
export class ServerError extends OAuthError {
  constructor(detail?: string) {
    super('server_error', 500, 'the server failed to process the request', detail);
  }
}
