package dev.dnslab.recursor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.dnslab.core.tls.LabCertificateAuthority;
import dev.dnslab.core.tls.ServerTlsContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * A stored lab CA whose key is another CA's: the recursor starts (it reads the CA at its first DoT
 * or DoH connection), and each DoT or DoH connection is then closed before its handshake with one
 * WARN line that names the file, not Netty's WARN with a 50-line stack trace. The CA is read again
 * at each connection until it builds, so the recursor serves both once the files are mended.
 */
class BrokenStoredCaTest {
  private static LabHierarchy lab;

  @TempDir Path stateDir;
  @TempDir Path otherDir;

  @BeforeAll
  static void startTheLab() throws Exception {
    lab = LabHierarchy.start(LabHierarchy.LAB_ZONES);
  }

  @AfterAll
  static void stopTheLab() {
    lab.close();
  }

  @Test
  void closesEachDotConnectionWithOneLineNamingTheKeyFile() throws Exception {
    storeCaWithAnotherCasKey();
    try (RecursorServer recursor = startRecursor()) {
      List<ILoggingEvent> warnings = warningsWhile(() -> handshake(recursor.dotAddress(), List.of()));

      assertOneLineWithoutStackTrace(warnings, "DoT");
    }
  }

  @Test
  void closesEachDohConnectionWithOneLineNamingTheKeyFile() throws Exception {
    storeCaWithAnotherCasKey();
    try (RecursorServer recursor = startRecursor()) {
      // A DoH client's first flight: a ClientHello offering h2 and http/1.1 (RFC 8484 5.2, RFC 7301).
      List<ILoggingEvent> warnings = warningsWhile(() -> handshake(recursor.dohAddress(), List.of("h2", "http/1.1")));

      assertOneLineWithoutStackTrace(warnings, "DoH");
    }
  }

  @Test
  void servesDotAndDohOnceTheStoredCaIsMended() throws Exception {
    byte[] ownKey = storeCaWithAnotherCasKey();
    try (RecursorServer recursor = startRecursor()) {
      warningsWhile(() -> handshake(recursor.dotAddress(), List.of()));
      warningsWhile(() -> handshake(recursor.dohAddress(), List.of("h2", "http/1.1")));

      Files.write(stateDir.resolve(LabCertificateAuthority.CA_KEY_FILE), ownKey);
      SSLContext trustLabCa = LabCertificateAuthority.loadOrCreate(stateDir).clientTlsContext();
      Message overDot = LabCaClients.dotQuery(trustLabCa, recursor.dotAddress(), query());
      HttpResponse<byte[]> overDoh = dohPost(trustLabCa, recursor.dohAddress());

      assertThat(overDot.getRcode()).isEqualTo(Rcode.NOERROR);
      assertThat(overDot.getSection(Section.ANSWER)).isNotEmpty();
      assertThat(overDoh.statusCode()).isEqualTo(200);
      assertThat(new Message(overDoh.body()).getSection(Section.ANSWER)).isNotEmpty();
    }
  }

  /** Stores a CA in the state folder with another CA's key in it; returns its own key's file. */
  private byte[] storeCaWithAnotherCasKey() throws IOException {
    LabCertificateAuthority.loadOrCreate(stateDir);
    LabCertificateAuthority.loadOrCreate(otherDir);
    Path key = stateDir.resolve(LabCertificateAuthority.CA_KEY_FILE);
    byte[] ownKey = Files.readAllBytes(key);
    Files.copy(otherDir.resolve(LabCertificateAuthority.CA_KEY_FILE), key, StandardCopyOption.REPLACE_EXISTING);
    return ownKey;
  }

  private RecursorServer startRecursor() throws Exception {
    return new RecursorServer(lab.recursorConfig()
        .dot(new InetSocketAddress("127.0.0.1", 0))
        .doh(new InetSocketAddress("127.0.0.1", 0))
        .stateDir(stateDir)
        .build()).start();
  }

  private static void assertOneLineWithoutStackTrace(List<ILoggingEvent> warnings, String transport) {
    assertThat(warnings).singleElement().satisfies(event -> {
      assertThat(event.getLoggerName()).isEqualTo(ServerTlsContext.class.getName());
      assertThat(event.getLevel()).isEqualTo(Level.WARN);
      assertThat(event.getFormattedMessage())
          .startsWith(transport + " connection from /127.0.0.1:")
          .contains(LabCertificateAuthority.CA_KEY_FILE + " is not the key of");
      assertThat(event.getThrowableProxy()).isNull();
    });
  }

  /** One TLS connection that the server closes before its handshake completes. */
  private static void handshake(InetSocketAddress server, List<String> alpn) throws Exception {
    try (SSLSocket socket = (SSLSocket) SSLContext.getDefault().getSocketFactory()
        .createSocket(server.getAddress(), server.getPort())) {
      socket.setSoTimeout(10_000);
      SSLParameters parameters = socket.getSSLParameters();
      parameters.setApplicationProtocols(alpn.toArray(String[]::new));
      socket.setSSLParameters(parameters);
      assertThatThrownBy(socket::startHandshake).isInstanceOf(IOException.class);
    }
  }

  /**
   * The WARN and ERROR lines logged while {@code connect} ran: the server logs before it closes,
   * and the client's handshake fails only once it has closed.
   */
  private static List<ILoggingEvent> warningsWhile(ThrowingAction connect) throws Exception {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    logged.start();
    root.addAppender(logged);
    try {
      connect.run();
    } finally {
      root.detachAppender(logged);
    }
    synchronized (logged) {
      return logged.list.stream().filter(event -> event.getLevel().isGreaterOrEqual(Level.WARN)).toList();
    }
  }

  private static HttpResponse<byte[]> dohPost(SSLContext tls, InetSocketAddress doh) throws Exception {
    HttpClient client = HttpClient.newBuilder().sslContext(tls).version(HttpClient.Version.HTTP_2)
        .connectTimeout(Duration.ofSeconds(10)).build();
    Message query = query();
    query.getHeader().setID(0); // RFC 8484 4.1
    HttpRequest request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + doh.getPort() + "/dns-query"))
        .header("content-type", "application/dns-message")
        .timeout(Duration.ofSeconds(10))
        .POST(HttpRequest.BodyPublishers.ofByteArray(query.toWire()))
        .build();
    return client.send(request, HttpResponse.BodyHandlers.ofByteArray());
  }

  private static Message query() throws Exception {
    Message query = Message.newQuery(Record.newRecord(Name.fromString("www.google.com."), Type.A, DClass.IN));
    query.getHeader().setFlag(Flags.RD);
    return query;
  }

  private interface ThrowingAction {
    void run() throws Exception;
  }
}
