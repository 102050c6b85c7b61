package app.tandem.platform.grpc;

import io.grpc.ServiceDescriptor;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Every service of the public API ({@code tandem.api.v1}), found among the generated classes. */
public final class PublicApi {

    private static final String PACKAGE = "app.tandem.api.v1";

    private PublicApi() {
    }

    public static List<ServiceDescriptor> services() {
        List<ServiceDescriptor> services = new ArrayList<>();
        try {
            Resource[] classes = new PathMatchingResourcePatternResolver(PublicApi.class.getClassLoader())
                    .getResources("classpath*:" + PACKAGE.replace('.', '/') + "/*Grpc.class");
            for (Resource resource : classes) {
                String simpleName = resource.getFilename().substring(0, resource.getFilename().length() - ".class".length());
                Class<?> grpc = Class.forName(PACKAGE + "." + simpleName, true, PublicApi.class.getClassLoader());
                services.add((ServiceDescriptor) grpc.getMethod("getServiceDescriptor").invoke(null));
            }
        } catch (IOException | ReflectiveOperationException e) {
            throw new IllegalStateException("cannot list the public API's services", e);
        }
        services.sort(Comparator.comparing(ServiceDescriptor::getName));
        return services;
    }
}
