// A small real Java app for the lab (JDK's built-in HTTP server): /java/orders throws, the handler
// logs the stack trace with a time-stamped line before it and answers 500.
import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Instant;

public class JavaApp {
  static long total(String id) {
    try {
      return Long.parseLong(id);
    } catch (NumberFormatException e) {
      throw new IllegalStateException("cannot price order " + id, e);
    }
  }

  public static void main(String[] args) throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])), 64);
    server.createContext("/", exchange -> {
      int status = 200;
      String body = "ok\n";
      try {
        if (exchange.getRequestURI().getPath().startsWith("/java/orders")) body = "total " + total("A-17") + "\n";
      } catch (RuntimeException e) {
        System.err.println(Instant.now() + " ERROR [http] request failed: " + exchange.getRequestMethod() + " " + exchange.getRequestURI());
        e.printStackTrace();
        status = 500;
        body = "Internal Server Error\n";
      }
      byte[] bytes = body.getBytes();
      exchange.sendResponseHeaders(status, bytes.length);
      try (OutputStream os = exchange.getResponseBody()) {
        os.write(bytes);
      }
    });
    server.start();
    System.err.println(Instant.now() + " INFO [http] listening on " + args[0]);
  }
}
