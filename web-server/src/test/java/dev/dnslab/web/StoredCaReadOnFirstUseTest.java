package dev.dnslab.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.dnslab.core.tls.LabCertificateAuthority;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A lab CA already in the state folder is read when the web server first needs it (the first HTTPS
 * connection or download of the CA), not at start: a server only plain HTTP reaches never reads it.
 * Seen here through a stored CA whose key is another CA's, which a start that read it would refuse.
 */
class StoredCaReadOnFirstUseTest {
  @TempDir Path stateDir;
  @TempDir Path otherDir;

  @Test
  void servesPlainHttpOnAStoredCaItHasNotReadAndRefusesTheCaWhenFirstAskedForIt() throws Exception {
    LabCertificateAuthority.loadOrCreate(stateDir);
    LabCertificateAuthority.loadOrCreate(otherDir);
    Files.copy(otherDir.resolve(LabCertificateAuthority.CA_KEY_FILE), stateDir.resolve(LabCertificateAuthority.CA_KEY_FILE),
        StandardCopyOption.REPLACE_EXISTING);

    try (RunningWebServer web = RunningWebServer.startedNow(BundledSites.extract(), stateDir, WebLimits.DEFAULTS)) {
      assertThat(web.get("www.google.com", "/").statusCode()).isEqualTo(200);

      // The first use reads it, and the mismatch is found then: the download fails, and so does
      // each HTTPS handshake (its certificates need the CA's key), with the reason in the log.
      assertThat(web.get("www.google.com", WebRequestHandler.CA_PATH).statusCode()).isEqualTo(500);
      assertThatThrownBy(web.server()::certificateAuthority)
          .isInstanceOf(UncheckedIOException.class)
          .hasMessageContaining("is not the key of");
      HttpClient anyCertificate = HttpClient.newBuilder().connectTimeout(RunningWebServer.DEADLINE).build();
      Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
      ListAppender<ILoggingEvent> logged = new ListAppender<>();
      logged.start();
      root.addAppender(logged);
      try {
        assertThatThrownBy(() -> RunningWebServer.send(anyCertificate, HttpRequest.newBuilder(web.https("/")).build()))
            .isInstanceOf(UncheckedIOException.class);
      } finally {
        root.detachAppender(logged);
      }
      // One line per connection that says why, not Netty's stack traces (two, three times a connection).
      List<ILoggingEvent> warnings = logged.list.stream().filter(event -> event.getLevel().isGreaterOrEqual(Level.WARN)).toList();
      long connections = warnings.stream().map(ILoggingEvent::getFormattedMessage).map(line -> line.split(" closed")[0]).distinct().count();
      assertThat(warnings).hasSize((int) connections).allSatisfy(event -> {
        assertThat(event.getLoggerName()).isEqualTo(WebProtocolNegotiator.class.getName());
        assertThat(event.getFormattedMessage()).startsWith("HTTPS connection from").contains("is not the key of");
        assertThat(event.getThrowableProxy()).isNull();
      });
    }
  }

  @Test
  void downloadsTheStoredCaReadAtTheFirstDownload() throws Exception {
    LabCertificateAuthority stored = LabCertificateAuthority.loadOrCreate(stateDir);

    try (RunningWebServer web = RunningWebServer.startedNow(BundledSites.extract(), stateDir, WebLimits.DEFAULTS)) {
      HttpResponse<String> download = web.get("www.google.com", WebRequestHandler.CA_PATH);

      assertThat(download.statusCode()).isEqualTo(200);
      assertThat(download.body()).isEqualTo(stored.certificatePem()).isEqualTo(Files.readString(stored.certificatePath()));
    }
  }
}
