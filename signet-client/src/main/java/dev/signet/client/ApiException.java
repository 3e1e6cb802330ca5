package dev.signet.client;

/**
 * A call that did not produce data: the server's error envelope, an HTTP error status, an
 * unreadable or oversized response, or no server reachable.
 */
public final class ApiException extends RuntimeException {
  /** Codes for failures that are not the server's own envelope. */
  public static final int NO_RESPONSE = -1;

  private final int status;
  private final int code;
  private final String description;
  private final String requestId;

  public ApiException(int status, int code, String description, String requestId, Throwable cause) {
    super("HTTP " + status + ", code " + code + ": " + description + (requestId == null ? "" : " (request " + requestId + ")"), cause);
    this.status = status;
    this.code = code;
    this.description = description;
    this.requestId = requestId;
  }

  /** The HTTP status, or {@link #NO_RESPONSE} when no server answered. */
  public int status() {
    return status;
  }

  /** The envelope's {@code code}, or the HTTP status when the server sent no envelope. */
  public int code() {
    return code;
  }

  public String description() {
    return description;
  }

  /** The {@code X-Request-Id} of the last attempt. */
  public String requestId() {
    return requestId;
  }
}
