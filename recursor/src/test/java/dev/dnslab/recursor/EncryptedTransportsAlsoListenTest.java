package dev.dnslab.recursor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.testing.Tool;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * {@code --also-listen} serves DoT and DoH too, on the same ports, with a certificate that names
 * the extra address: here ::1 beside 127.0.0.1, the loopback stand-in for a recursor's IPv6
 * address (Ipv6NetnsIT does the same on the lab's own IPv6 addresses with dig and curl). kdig
 * (GnuTLS) asks both addresses too: it sends an IPv6 literal as the server name, which the JDK's
 * TLS server used to answer with a fatal alert (see core's ServerNameIndication).
 */
class EncryptedTransportsAlsoListenTest {
  private static final InetAddress IPV6_LOOPBACK = NetUtil.LOCALHOST6;

  /** The first TLS and HTTP/2 exchange of the JVM, on a busy machine. */
  private static final Duration DEADLINE = Duration.ofSeconds(30);

  @TempDir static Path stateDir;

  @RegisterExtension
  static final RecursorExtension recursor = RecursorExtension.on(LabHierarchy.LAB_ZONES)
      .configure(config -> config
          .alsoListen(List.of(IPV6_LOOPBACK))
          .doh(new InetSocketAddress("127.0.0.1", 0))
          .dot(new InetSocketAddress("127.0.0.1", 0))
          .stateDir(stateDir));
  private static SSLContext trustLabCa;

  @BeforeAll
  static void trustTheLabCa() throws Exception {
    trustLabCa = recursor.server().certificateAuthority().clientTlsContext();
    // The walk from the root over plain DNS first: what the tests time is the transports.
    assertThat(Dig.query(recursor.server().dnsAddress(), "www.google.com.", Type.A).getRcode()).isEqualTo(Rcode.NOERROR);
  }

  @Test
  void servesDnsOverTlsOnTheAlsoListenAddressOnTheSamePort() throws Exception {
    InetSocketAddress dot = recursor.server().dotAddress();

    Message answer = LabCaClients.dotQuery(trustLabCa, new InetSocketAddress(IPV6_LOOPBACK, dot.getPort()), query());

    assertThat(recursor.server().dotAddresses()).containsExactly(dot, new InetSocketAddress(IPV6_LOOPBACK, dot.getPort()));
    assertThat(answer.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(answer.getSection(Section.ANSWER)).isNotEmpty();
  }

  @Test
  void servesDnsOverHttpsOnTheAlsoListenAddressWithACertificateNamingIt() throws Exception {
    int port = recursor.server().dohAddress().getPort();
    HttpClient client = HttpClient.newBuilder().sslContext(trustLabCa).version(HttpClient.Version.HTTP_2)
        .connectTimeout(DEADLINE).build();
    Message query = query();
    query.getHeader().setID(0);
    // The JDK client checks the certificate's iPAddress against the literal (RFC 6125 6.2.1).
    URI uri = URI.create("https://[::1]:" + port + "/dns-query?dns="
        + Base64.getUrlEncoder().withoutPadding().encodeToString(query.toWire()));

    HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(uri).timeout(DEADLINE).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());

    assertThat(recursor.server().dohAddresses()).hasSize(2);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(new Message(response.body()).getRcode()).isEqualTo(Rcode.NOERROR);
  }

  @Test
  void kdigGetsAnswersOverDnsOverTlsOnBothAddresses() throws Exception {
    int port = recursor.server().dotAddress().getPort();

    // +tls-ca: RFC 7858 4.2 strict privacy, the certificate checked against the lab CA.
    String ipv4 = kdig("+tls-ca=" + labCa(), "@127.0.0.1", "-p", String.valueOf(port), "www.google.com", "A");
    String ipv6 = kdig("+tls-ca=" + labCa(), "@::1", "-p", String.valueOf(port), "www.google.com", "A");

    assertThat(ipv4).contains(";; TLS session (TLS1.3)").contains("status: NOERROR").doesNotContain("WARNING");
    assertThat(ipv6).contains(";; TLS session (TLS1.3)").contains("status: NOERROR").doesNotContain("WARNING");
  }

  @Test
  void kdigGetsAnswersOverDnsOverHttpsOnBothAddresses() throws Exception {
    int port = recursor.server().dohAddress().getPort();

    String ipv4 = kdig("+https=/dns-query", "+tls-ca=" + labCa(), "@127.0.0.1", "-p", String.valueOf(port),
        "www.google.com", "A");
    String ipv6 = kdig("+https", "+https-get", "+tls-ca=" + labCa(), "@::1", "-p", String.valueOf(port),
        "www.google.com", "A");

    assertThat(ipv4).contains(";; HTTP session (HTTP/2-POST)").contains("status: NOERROR").doesNotContain("WARNING");
    assertThat(ipv6).contains(";; HTTP session (HTTP/2-GET)").contains("status: NOERROR").doesNotContain("WARNING");
  }

  @Test
  void turnsTheJdkServersServerNameOffOnlyWhenTheJdkServes() {
    // BoringSSL takes kdig's IPv6 literal itself (the tests above), so core's ServerNameIndication
    // leaves the JVM-wide switch of the JDK's TLS servers off; the JDK's servers refuse the literal
    // unless server_name is off, which is what lets the tests above pass on the JDK run.
    assertThat(SslContext.defaultServerProvider()).isEqualTo(TlsProviderOfThisRun.expected());
    String disabled = System.getProperty("jdk.tls.server.disableExtensions", "");
    if (TlsProviderOfThisRun.expected() == SslProvider.JDK) {
      assertThat(disabled).contains("server_name");
    } else {
      assertThat(disabled).doesNotContain("server_name");
    }
  }

  private static String labCa() {
    return recursor.server().certificateAuthority().certificatePath().toString();
  }

  /** Runs Debian's kdig (knot-dnsutils, linked with GnuTLS) and returns what it printed. */
  private static String kdig(String... arguments) throws Exception {
    List<String> command = new ArrayList<>(List.of(Tool.KDIG.require(), "+timeout=10", "+retry=0"));
    command.addAll(List.of(arguments));
    Process kdig = new ProcessBuilder(command).redirectErrorStream(true).start();
    if (!kdig.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
      kdig.destroyForcibly();
      throw new AssertionError("kdig did not finish within " + DEADLINE + ": " + command);
    }
    return new String(kdig.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }

  private static Message query() throws Exception {
    Message query = Message.newQuery(Record.newRecord(Name.fromString("www.google.com."), Type.A, DClass.IN));
    query.getHeader().setFlag(Flags.RD);
    return query;
  }
}
