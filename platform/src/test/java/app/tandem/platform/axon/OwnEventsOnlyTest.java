package app.tandem.platform.axon;

import org.axonframework.spring.config.SpringAggregateConfigurer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.beans.factory.support.GenericBeanDefinition;

import static org.assertj.core.api.Assertions.assertThat;

class OwnEventsOnlyTest {

    @Test
    void everyAggregatesRepositoryFiltersItsEventsByType() {
        DefaultListableBeanFactory beans = new DefaultListableBeanFactory();
        GenericBeanDefinition boundary = new GenericBeanDefinition();
        boundary.setBeanClassName(SpringAggregateConfigurer.class.getName());
        beans.registerBeanDefinition("boundaryAggregateConfigurer", boundary);
        GenericBeanDefinition other = new GenericBeanDefinition();
        other.setBeanClassName(String.class.getName());
        beans.registerBeanDefinition("somethingElse", other);

        new OwnEventsOnly().postProcessBeanFactory(beans);

        assertThat(beans.getBeanDefinition("boundaryAggregateConfigurer").getPropertyValues().get("filterEventsByType")).isEqualTo(true);
        assertThat(beans.getBeanDefinition("somethingElse").getPropertyValues().contains("filterEventsByType")).isFalse();
    }
}
