package dev.signet.server.http;

/** A request the server refuses with a 4xx: bad input, unknown id, conflict. No stack trace. */
public final class ApiError extends RuntimeException {
  private final int status;
  private final long retryAfterSeconds;

  public ApiError(int status, String description) {
    this(status, description, 0);
  }

  private ApiError(int status, String description, long retryAfterSeconds) {
    super(description, null, false, false);
    this.status = status;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public int status() {
    return status;
  }

  /** Seconds for {@code Retry-After}, or 0 for none. */
  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }

  /** 429, with the {@code Retry-After} the client should wait. */
  public static ApiError tooManyRequests(String description, long retryAfterSeconds) {
    return new ApiError(429, description, retryAfterSeconds);
  }

  public static ApiError badRequest(String description) {
    return new ApiError(400, description);
  }

  public static ApiError notFound(String description) {
    return new ApiError(404, description);
  }

  public static ApiError conflict(String description) {
    return new ApiError(409, description);
  }
}
