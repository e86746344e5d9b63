package dev.dnslab.core.admin;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.charset.StandardCharsets;

/** What an admin route answers: status, content type and body. */
public record AdminResponse(int status, String contentType, byte[] body) {
  public static final String TEXT = "text/plain; charset=utf-8";
  public static final String JSON = "application/json";

  /**
   * Made on the first JSON answer, not with the first answer of any kind: Jackson is ~380 classes
   * (3-4 MiB of metaspace and symbols), and a role whose admin port only ever serves Prometheus
   * its text (/metrics) or /health never needs them.
   */
  private static final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  }

  public AdminResponse {
    requireNonNull(contentType, "contentType");
    requireNonNull(body, "body");
  }

  public static AdminResponse text(int status, String text) {
    return new AdminResponse(status, TEXT, text.getBytes(StandardCharsets.UTF_8));
  }

  public static AdminResponse ok(String text) {
    return text(200, text);
  }

  /** Serialises {@code value} (records, maps, lists) as indented JSON. */
  public static AdminResponse json(int status, Object value) {
    try {
      return new AdminResponse(status, JSON, Json.MAPPER.writeValueAsBytes(value));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not serialisable as JSON: " + value.getClass(), e);
    }
  }

  public static AdminResponse json(Object value) {
    return json(200, value);
  }

  public static ObjectMapper mapper() {
    return Json.MAPPER;
  }
}
