package io.carbon.computeimage.testkit.http;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A server on 127.0.0.1 that accepts connections and never answers: a request to it waits for
 * its response until the client gives up. Close it to drop the connections.
 */
public final class SilentServer implements AutoCloseable {
  private final ServerSocket socket;
  private final List<Socket> accepted = new CopyOnWriteArrayList<>();
  private final Thread acceptor;

  private SilentServer(ServerSocket socket) {
    this.socket = socket;
    this.acceptor = new Thread(this::acceptAll, "silent-server");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /**
   * Starts the server on a free port.
   *
   * @return the running server
   * @throws IOException when no port can be bound
   */
  public static SilentServer start() throws IOException {
    return new SilentServer(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
  }

  /**
   * @param path a path starting with {@code /}
   * @return {@code http://127.0.0.1:<port><path>}
   */
  public URI uri(String path) {
    return URI.create("http://127.0.0.1:" + socket.getLocalPort() + path);
  }

  /** @return how many connections were accepted */
  public int connections() {
    return accepted.size();
  }

  private void acceptAll() {
    try {
      while (true) {
        accepted.add(socket.accept()); // read nothing, answer nothing
      }
    } catch (IOException e) {
      // closed
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
    for (Socket s : accepted) {
      s.close();
    }
  }
}
