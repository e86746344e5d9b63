package dev.dnslab.junit;

import java.lang.reflect.AnnotatedElement;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The JUnit 5 extension behind {@link DnsLab @DnsLab}: starts the lab before the class (or before a
 * method annotated itself), stops it after, and resolves {@link Lab} parameters. Labs are kept in
 * the extension store, so JUnit closes them even when a test fails.
 */
public final class DnsLabExtension implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(DnsLabExtension.class);
  private static final String CLASS_LAB = "class-lab";
  private static final String METHOD_LAB = "method-lab";

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    Optional<DnsLab> annotation = find(context.getRequiredTestClass());
    if (annotation.isPresent()) {
      context.getStore(NAMESPACE).put(CLASS_LAB, new StoredLab(start(annotation.get())));
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    Optional<DnsLab> onMethod = AnnotationSupport.findAnnotation(context.getRequiredTestMethod(), DnsLab.class);
    if (onMethod.isPresent()) {
      context.getStore(NAMESPACE).put(METHOD_LAB, new StoredLab(start(onMethod.get())));
    } else {
      // One lab per class: each test sees only its own queries.
      classLab(context).ifPresent(lab -> lab.journal().clear());
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    StoredLab stored = context.getStore(NAMESPACE).remove(METHOD_LAB, StoredLab.class);
    if (stored != null) {
      stored.close();
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == Lab.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    StoredLab method = context.getStore(NAMESPACE).get(METHOD_LAB, StoredLab.class);
    if (method != null) {
      return method.lab();
    }
    return classLab(context).orElseThrow(() -> new ParameterResolutionException(
        "no lab: annotate the test class or method with @DnsLab"));
  }

  private static Optional<Lab> classLab(ExtensionContext context) {
    for (ExtensionContext c = context; c != null; c = c.getParent().orElse(null)) {
      StoredLab stored = c.getStore(NAMESPACE).get(CLASS_LAB, StoredLab.class);
      if (stored != null) {
        return Optional.of(stored.lab());
      }
    }
    return Optional.empty();
  }

  private static Optional<DnsLab> find(AnnotatedElement element) {
    return AnnotationSupport.findAnnotation(element, DnsLab.class);
  }

  private static Lab start(DnsLab annotation) throws Exception {
    return Lab.builder()
        .scenario(annotation.scenario())
        .port(annotation.port())
        .network(annotation.network())
        .dnssec(annotation.dnssec())
        .start();
  }

  /** A lab that JUnit closes with the store (AutoCloseable values are closed since JUnit 5.13). */
  private record StoredLab(Lab lab) implements AutoCloseable {
    @Override
    public void close() {
      lab.close();
    }
  }
}
