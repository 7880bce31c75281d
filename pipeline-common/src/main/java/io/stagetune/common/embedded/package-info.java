/**
 * Real infrastructure inside the JVM, for tests and the {@code local-stack} app: {@link
 * io.stagetune.common.embedded.EmbeddedKafka} (an Apache Kafka KRaft node) and {@link
 * io.stagetune.common.embedded.EmbeddedS3} (S3Proxy on local disk).
 * <p>
 * Their libraries are optional dependencies of {@code pipeline-common}: a module that uses this package declares
 * {@code org.apache.kafka:kafka-test-common-runtime} and {@code org.gaul:s3proxy} itself (test scope in services),
 * so production services never carry them. In a {@code @QuarkusTest}:
 * <pre>
 * &#64;QuarkusTest
 * &#64;WithTestResource(KafkaTestResource.class)   // sets kafka.bootstrap.servers
 * &#64;WithTestResource(S3TestResource.class)      // sets pipeline.object-store.endpoint, access-key, secret-key
 * class SomeTest {
 *     &#64;InjectKafka EmbeddedKafka kafka;          // kafka.stopBroker(); kafka.restartBroker();
 *     &#64;InjectS3 EmbeddedS3 s3;                   // new ObjectStore(s3.settings())
 * }
 * </pre>
 * {@link io.stagetune.common.embedded.RegistryProcess} runs the model registry's packaged build (H2, or its
 * PostgreSQL build on a fresh schema) as a process, and {@link io.stagetune.common.embedded.RegistryTestResource}
 * is broker, store and registry together for a service's end-to-end {@code @QuarkusTest}.
 * <p>
 * Dev Services stay disabled in configuration ({@code quarkus.devservices.enabled=false}): they read build-time
 * configuration and would try to start containers regardless of what a test resource returns.
 */
package io.stagetune.common.embedded;
