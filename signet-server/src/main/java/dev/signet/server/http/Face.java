package dev.signet.server.http;

import io.vertx.ext.web.Router;

/**
 * One face of {@code signet serve}: it mounts its own routes and owns their handlers. Adding a face
 * is adding a package with one of these, and one line where the server wires its faces.
 */
public interface Face {
  /** Adds this face's routes to {@code router}; called once, before the server listens. */
  void mount(Router router);
}
