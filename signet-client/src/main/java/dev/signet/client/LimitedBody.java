package dev.signet.client;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/** Reads a response body into memory, refusing (and cancelling) past {@code limit} bytes. */
final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {
  static final class TooLarge extends RuntimeException {
    final int status;

    TooLarge(int limit, int status) {
      super("response body larger than " + limit + " bytes", null, false, false);
      this.status = status;
    }
  }

  private final int limit;
  private final int status;
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
  private final CompletableFuture<byte[]> result = new CompletableFuture<>();
  private Flow.Subscription subscription;

  LimitedBody(int limit, int status) {
    this.limit = limit;
    this.status = status;
  }

  static HttpResponse.BodyHandler<byte[]> handler(int limit) {
    return info -> new LimitedBody(limit, info.statusCode());
  }

  @Override
  public CompletionStage<byte[]> getBody() {
    return result;
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    s.request(Long.MAX_VALUE);
  }

  @Override
  public void onNext(List<ByteBuffer> items) {
    for (ByteBuffer b : items) {
      if (buffer.size() + b.remaining() > limit) {
        subscription.cancel();
        result.completeExceptionally(new TooLarge(limit, status));
        return;
      }
      byte[] chunk = new byte[b.remaining()];
      b.get(chunk);
      buffer.write(chunk, 0, chunk.length);
    }
  }

  @Override
  public void onError(Throwable t) {
    result.completeExceptionally(t);
  }

  @Override
  public void onComplete() {
    result.complete(buffer.toByteArray());
  }
}
