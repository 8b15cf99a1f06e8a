import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * Runs DynamoDB Local with its HTTP listener bound to one address (127.0.0.1 unless the system property
 * tributary.bindHost says otherwise). DynamoDB Local has no bind option and listens on every interface;
 * this builds the server exactly as its own main() does, then sets the host of each Jetty connector
 * before starting it.
 *
 * Everything goes through reflection, so compiling this file needs no classpath. Arguments are passed
 * to DynamoDB Local unchanged (e.g. -inMemory -sharedDb -port 8000 -disableTelemetry).
 */
public final class LoopbackDynamoDbLocal {
  private LoopbackDynamoDbLocal() {}

  public static void main(String[] args) throws Exception {
    String host = System.getProperty("tributary.bindHost", "127.0.0.1");
    Class<?> runner = Class.forName("software.amazon.dynamodb.services.local.main.ServerRunner");
    Object proxy;
    try {
      proxy = runner.getMethod("createServerFromCommandLineArgs", String[].class).invoke(null, (Object) args);
    } catch (InvocationTargetException e) {
      throw unwrap(e);
    }
    if (proxy == null) {
      throw new IllegalArgumentException("DynamoDB Local rejected the arguments");
    }

    // DynamoDBProxyServer keeps its org.eclipse.jetty.server.Server in a private field named "server".
    Field serverField = proxy.getClass().getDeclaredField("server");
    serverField.setAccessible(true);
    Object jetty = serverField.get(proxy);
    Object[] connectors = (Object[]) jetty.getClass().getMethod("getConnectors").invoke(jetty);
    if (connectors.length == 0) {
      throw new IllegalStateException("DynamoDB Local has no Jetty connector to bind");
    }
    for (Object connector : connectors) {
      Method setHost = connector.getClass().getMethod("setHost", String.class);
      setHost.invoke(connector, host);
    }

    try {
      proxy.getClass().getMethod("start").invoke(proxy);
      System.out.println("tributary: DynamoDB Local bound to " + host);
      proxy.getClass().getMethod("join").invoke(proxy);
    } catch (InvocationTargetException e) {
      throw unwrap(e);
    }
  }

  private static Exception unwrap(InvocationTargetException e) {
    Throwable cause = e.getCause();
    return cause instanceof Exception ? (Exception) cause : e;
  }
}
