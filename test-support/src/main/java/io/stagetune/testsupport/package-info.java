/**
 * The test harness: real infrastructure as Quarkus test resources. Services depend on this module with scope
 * {@code test} only; the build's Enforcer rule fails a module whose runtime class path would carry it.
 * <p>
 * {@link io.stagetune.testsupport.KafkaTestResource} and {@link io.stagetune.testsupport.S3TestResource} start the
 * local stack's in-process Kafka broker (KRaft) and S3 store (S3Proxy on local disk); in a {@code @QuarkusTest}:
 * <pre>
 * &#64;QuarkusTest
 * &#64;WithTestResource(KafkaTestResource.class)   // sets kafka.bootstrap.servers
 * &#64;WithTestResource(S3TestResource.class)      // sets pipeline.object-store.endpoint, access-key, secret-key
 * class SomeTest {
 *     &#64;InjectKafka EmbeddedKafka kafka;          // kafka.stopBroker(); kafka.restartBroker();
 *     &#64;InjectS3 EmbeddedS3 s3;                   // new ObjectStore(s3.settings())
 * }
 * </pre>
 * {@link io.stagetune.testsupport.RegistryProcess} runs the model registry's packaged build (H2, or its PostgreSQL
 * build on a fresh schema) as a process, and {@link io.stagetune.testsupport.RegistryTestResource} is broker, store
 * and registry together for a service's end-to-end {@code @QuarkusTest}. {@link io.stagetune.testsupport.TopicEvents}
 * reads and publishes pipeline events as a consumer would; {@link io.stagetune.testsupport.PrometheusText} reads a
 * sample from {@code /q/metrics}.
 * <p>
 * Dev Services stay disabled in configuration ({@code quarkus.devservices.enabled=false}): they read build-time
 * configuration and would try to start containers regardless of what a test resource returns.
 */
package io.stagetune.testsupport;
