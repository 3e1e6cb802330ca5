package dev.signet.server.http;

/** A request the server refuses with a 4xx: bad input, unknown id, conflict. No stack trace. */
public final class ApiError extends RuntimeException {
  private final int status;

  public ApiError(int status, String description) {
    super(description, null, false, false);
    this.status = status;
  }

  public int status() {
    return status;
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
